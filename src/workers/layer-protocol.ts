// Messages between the engine worker and its pool of layer workers.

import type { LayerResult } from '../core/pipeline/index-layer';
import type { LayerJob } from '../core/pipeline/read-archive';

export type LayerWorkerRequest =
  | { type: 'index'; id: number; job: LayerJob }
  | { type: 'cancel'; id: number };

export type LayerWorkerEvent =
  | { type: 'progress'; id: number; storedBytes: number }
  | { type: 'result'; id: number; result: LayerResult }
  | { type: 'failed'; id: number; message: string };
