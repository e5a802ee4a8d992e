// The demo images built into public/demo/ at build time (scripts/build-demo.ts).

export interface DemoImage { file: string; title: string; description?: string }

const FALLBACK: DemoImage[] = [
  { file: 'strata-demo.tar', title: 'v1 and v2 together', description: 'One `docker save` of both versions: the layer graph branches where they diverge.' },
  { file: 'strata-demo-v1.tar', title: 'v1', description: 'A tiny Python app.' },
  { file: 'strata-demo-v2.tar', title: 'v2', description: 'The next version of it.' },
  { file: 'strata-ml-v1.tar', title: 'PyTorch v1', description: 'Why a PyTorch image is large: CUDA shipped twice, baked-in weights, a pip cache.' },
  { file: 'strata-ml.tar', title: 'PyTorch v1 + v2', description: 'What v2 of the PyTorch image changed.' },
];

/** The ML demo opens on "Why so large", its largest finding (CUDA shipped twice) first. */
export function landsOnSize(d: DemoImage): boolean {
  return d.file.startsWith('strata-ml');
}

/** The archive holding both ML images, for a "Compare v1 and v2" button once compare mode exists. */
export const COMPARE_DEMO = 'strata-ml.tar';

function demoUrl(file: string): string {
  return `${import.meta.env.BASE_URL}demo/${encodeURIComponent(file)}`;
}

/**
 * Reads public/demo/manifest.json, as scripts/build-demo.ts writes it: `{ demos: [{ file, title,
 * description }] }`. Anything else (no build, an old manifest) falls back to the three demos.
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
