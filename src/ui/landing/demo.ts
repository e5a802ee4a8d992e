// The demo images built into public/demo/ at build time (scripts/build-demo.ts).

export interface DemoImage { file: string; title: string; description?: string }

/** The demo `npm start` opens (at #demo) and the start page's first button: both ML images. */
export const MAIN_DEMO = 'strata-ml.tar';

/** The archive holding both ML images, which "Compare v1 and v2" opens in compare mode. */
export const COMPARE_DEMO = 'strata-ml.tar';

const FALLBACK: DemoImage[] = [
  { file: MAIN_DEMO, title: 'strata-ml:v1 + v2', description: 'Two versions of a PyTorch image in miniature: why v1 is large, and the layers v2 shares with it.' },
  { file: 'strata-ml-v1.tar', title: 'strata-ml:v1', description: 'v1 alone, a quicker load.' },
];

/** The ML demo opens on "Why so large", its largest finding (CUDA shipped twice) selected and in view. */
export function landsOnSize(d: DemoImage): boolean {
  return d.file.startsWith('strata-ml');
}

function demoUrl(file: string): string {
  return `${import.meta.env.BASE_URL}demo/${encodeURIComponent(file)}`;
}

/**
 * Reads public/demo/manifest.json, as scripts/build-demo.ts writes it: `{ demos: [{ file, title,
 * description }] }`. Anything else (no build, an old manifest) falls back to the two demos.
 */
export async function listDemos(): Promise<DemoImage[]> {
  try {
    const res = await fetch(demoUrl('manifest.json'));
    if (!res.ok) return FALLBACK;
    const json: unknown = await res.json();
    const list: unknown = typeof json === 'object' && json !== null && 'demos' in json ? json.demos : undefined;
    if (!Array.isArray(list)) return FALLBACK;
    const demos = list.flatMap((d: unknown): DemoImage[] => {
      if (typeof d !== 'object' || d === null || !('file' in d) || typeof d.file !== 'string') return [];
      const title = 'title' in d && typeof d.title === 'string' ? d.title : d.file;
      const description = 'description' in d && typeof d.description === 'string' ? d.description : undefined;
      return [{ file: d.file.replace(/^.*\//, ''), title, description }];
    });
    return demos.length > 0 ? demos : FALLBACK;
  } catch {
    return FALLBACK;
  }
}

export async function fetchDemo(file: string): Promise<File> {
  const res = await fetch(demoUrl(file));
  if (!res.ok) throw new Error(`demo ${file}: HTTP ${res.status}`);
  const blob = await res.blob();
  return new File([blob], file, { type: 'application/x-tar' });
}
