// A blob behind an HTTP URL that answers GET with Range (RFC 9110 14): a registry layer as our
// server's proxy serves it to the page. It travels to a layer worker as its URL and headers (no
// bytes), and that worker streams it straight into the pipeline. Exactly `size` bytes or an error:
// a layer's length is its descriptor's size (OCI image-spec "descriptor.md").
import type { ByteSource, PortableSource } from './types';

export interface HttpBlob {
  url: string;
  size: number;
  /** Sent with every request (the proxy's page headers). Never credentials for another host. */
  headers: Record<string, string>;
}

/** Reads a JSON `{ error: { message } }` answer (our proxy's errors) into a sentence. */
async function failure(res: Response, what: string): Promise<Error> {
  let message = `${what}: HTTP ${res.status}`;
  try {
    const body = (await res.json()) as { error?: { message?: unknown } };
    if (typeof body.error?.message === 'string') message = `${what}: ${body.error.message}`;
  } catch {
    // no JSON: the status says it
  }
  return new Error(message);
}

export class HttpByteSource implements ByteSource {
  readonly size: number;
  readonly remote = true;

  constructor(private readonly blob: HttpBlob, private readonly what = 'layer', private readonly doFetch: typeof fetch = (i, o) => fetch(i, o)) {
    this.size = blob.size;
  }

  portable(): PortableSource {
    return { kind: 'url', ...this.blob, what: this.what };
  }

  async read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array> {
    const from = Math.max(0, Math.min(offset, this.size));
    const to = Math.min(this.size, from + Math.max(0, length));
    if (to === from) return new Uint8Array(0);
    const chunks: Uint8Array[] = [];
    let n = 0;
    const reader = this.stream(from, to, signal).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      chunks.push(r.value);
      n += r.value.byteLength;
    }
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of chunks) { out.set(c, at); at += c.byteLength; }
    return out;
  }

  stream(from = 0, to = this.size, signal?: AbortSignal): ReadableStream<Uint8Array> {
    const want = Math.max(0, Math.min(to, this.size) - from);
    const ranged = from > 0 || want < this.size;
    const what = this.what;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let seen = 0;
    const open = async () => {
      const headers = { ...this.blob.headers, ...(ranged ? { Range: `bytes=${from}-${from + want - 1}` } : {}) };
      const res = await this.doFetch(this.blob.url, { headers, credentials: 'omit', ...(signal ? { signal } : {}) });
      if (!res.ok) throw await failure(res, what);
      if (ranged && res.status !== 206) throw new Error(`${what}: asked for bytes ${from}-${from + want - 1}, the server sent the whole blob`);
      if (!res.body) throw new Error(`${what}: the answer has no body`);
      return res.body.getReader();
    };
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        reader ??= await open();
        const r = await reader.read();
        if (r.done) {
          if (seen !== want) controller.error(new Error(`${what} ended after ${seen} of ${want} bytes`));
          else controller.close();
          return;
        }
        seen += r.value.byteLength;
        if (seen > want) {
          await reader.cancel();
          controller.error(new Error(`${what} is longer than the ${want} bytes asked for`));
          return;
        }
        controller.enqueue(r.value);
      },
      cancel: async (reason) => { await reader?.cancel(reason); },
    });
  }
}
