// The width of a host element, kept current with a ResizeObserver: what d3 layouts size against.
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

export function useHostWidth(): [RefObject<HTMLDivElement | null>, number] {
  const host = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);
  return [host, width];
}
