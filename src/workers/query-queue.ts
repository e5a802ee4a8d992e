// The engine worker's queries, run one per task so that a `cancelQuery` posted while they wait is
// seen before they start: a tree scrolled past or a path clicked away costs nothing once cancelled
// (squoosh's worker bridge takes an AbortSignal per call for the same reason). Answers go back in
// the order the queries came.

import type { EngineAnswers, EngineEvent, EngineQuery, QueryKind, QueryOf } from './protocol';

export type Answerer = <K extends QueryKind>(query: QueryOf<K>) => EngineAnswers[K];

export class QueryQueue {
  private readonly waiting = new Map<number, EngineQuery>();
  private scheduled = false;

  /**
   * `schedule` runs its callback in a later task, after messages already posted to the worker
   * (a MessageChannel in the worker; any macrotask queue in tests).
   */
  constructor(
    private readonly answer: Answerer,
    private readonly post: (e: Extract<EngineEvent, { type: 'answer' }>) => void,
    private readonly schedule: (run: () => void) => void,
  ) {}

  add(queryId: number, query: EngineQuery): void {
    this.waiting.set(queryId, query);
    this.wake();
  }

  /** Drops a query that has not started; one that has started answers, and the page ignores it. */
  cancel(queryId: number): void {
    this.waiting.delete(queryId);
  }

  private wake(): void {
    if (this.scheduled || this.waiting.size === 0) return;
    this.scheduled = true;
    this.schedule(() => this.runOne());
  }

  private runOne(): void {
    this.scheduled = false;
    const next = this.waiting.entries().next();
    if (next.done) return;
    const [queryId, query] = next.value;
    this.waiting.delete(queryId);
    try {
      this.post({ type: 'answer', queryId, answer: this.answer(query) });
    } catch (e) {
      this.post({ type: 'answer', queryId, error: e instanceof Error ? e.message : String(e) });
    }
    this.wake();
  }
}

/** A task that runs after the messages already queued: a MessageChannel, never clamped like setTimeout. */
export function nextTask(): (run: () => void) => void {
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  return (run) => {
    queue.push(run);
    channel.port2.postMessage(0);
  };
}
