// The slice of pako 2's API the codec uses (pako ships no types and @types/pako is not installed).
declare module 'pako' {
  export class Inflate {
    constructor(options?: { windowBits?: number; chunkSize?: number });
    push(data: Uint8Array, flushMode?: boolean | number): boolean;
    onData: (chunk: Uint8Array) => void;
    err: number;
    msg: string;
    ended: boolean;
    strm: unknown;
  }
}
