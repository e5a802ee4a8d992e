// A fixed-height scroller that draws only the rows on screen (as src/ui/tree does), for a file's
// lines, its hex dump and a diff: a 10 MB text is a few dozen DOM rows at any time. Rows are text
// (React escapes it): nothing from a file reaches innerHTML.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';

export const LINE_H = 18;
/** The scroller's height: a short file takes the room it needs, a long one this much. */
const MAX_H = 360;

export function VirtualRows({ count, row, testId, className }: { count: number; row: (i: number) => ReactNode; testId: string; className?: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => LINE_H, overscan: 30 });
  return (
    <div className={`file-scroller ${className ?? ''}`} ref={scroller} data-testid={testId} tabIndex={0}
      style={{ height: Math.min(MAX_H, count * LINE_H + 2 + 14) }}>
      <div style={{ height: v.getTotalSize(), position: 'relative', minWidth: 'max-content' }}>
        {v.getVirtualItems().map((it) => (
          <div key={it.key} className="file-row" style={{ position: 'absolute', top: it.start, height: LINE_H, left: 0, right: 0 }}>
            {row(it.index)}
          </div>
        ))}
      </div>
    </div>
  );
}
