// Messages of the stage profile: which stage took how long over which layers.

export interface ProfileRequest { files: Blob[]; passes: number }

export interface StageTime {
  stage: string;
  /** Sum over all layers, one layer at a time in one worker. */
  ms: number;
}

export interface ProfileReport {
  storedBytes: number;
  uncompressedBytes: number;
  entries: number;
  stages: StageTime[];
  /** indexLayer per layer blob, in the order given. */
  perLayerMs: number[];
  /** LayerResult posted with its buffers transferred, as layer.worker.ts does. */
  transfers?: { ms: number; bytes: number }[];
}
