// Messages between the engine worker and its pool of layer workers.

import type { LayerResult } from '../core/pipeline/index-layer';
import type { LayerJob } from '../core/pipeline/read-archive';
import type { PortableSource } from '../core/source/types';
import type { Digest } from '../core/types';

/** A layer job as posted: its source travels as a handle the worker opens (openPortable). */
export type PostedLayerJob = Omit<LayerJob, 'source'> & { input: PortableSource };

export type LayerWorkerRequest =
  | { type: 'index'; id: number; job: PostedLayerJob }
  | { type: 'digest'; id: number; input: PortableSource }
  | { type: 'cancel'; id: number };

export type LayerWorkerEvent =
  | { type: 'progress'; id: number; storedBytes: number }
  | { type: 'result'; id: number; result: LayerResult }
  | { type: 'digest'; id: number; digest: Digest }
  | { type: 'failed'; id: number; message: string };
