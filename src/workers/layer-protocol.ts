// Messages between the engine worker and its pool of layer workers.

import type { LayerResult } from '../core/pipeline/index-layer';
import type { LayerJob } from '../core/pipeline/read-archive';
import type { Digest } from '../core/types';

export type LayerWorkerRequest =
  | { type: 'index'; id: number; job: LayerJob }
  | { type: 'digest'; id: number; blob: Blob }
  | { type: 'cancel'; id: number };

export type LayerWorkerEvent =
  | { type: 'progress'; id: number; storedBytes: number }
  | { type: 'result'; id: number; result: LayerResult }
  | { type: 'digest'; id: number; digest: Digest }
  | { type: 'failed'; id: number; message: string };
