// The engine worker's queries, run one per task so that a `cancelQuery` posted while they wait is
// seen before they start: a tree scrolled past or a path clicked away costs nothing once cancelled
// (squoosh's worker bridge takes an AbortSignal per call for the same reason). In-memory answers
// go back in the order the queries came. An answer that takes I/O (a file's contents) runs beside
// the others without holding them up; cancelling it aborts its read, and it posts progress.

import type { ContentProgress, EngineAnswers, EngineEvent, EngineQuery, QueryKind, QueryOf } from './protocol';

export interface AnswerContext {
  signal: AbortSignal;
  onProgress: (p: ContentProgress) => void;
}

export type Answerer = <K extends QueryKind>(query: QueryOf<K>, ctx: AnswerContext) => EngineAnswers[K] | Promise<EngineAnswers[K]>;

type Posted = Extract<EngineEvent, { type: 'answer' } | { type: 'queryProgress' }>;

export class QueryQueue {
  private readonly waiting = new Map<number, EngineQuery>();
  /** Async answers under way, by query id: cancelling one aborts it. */
  private readonly running = new Map<number, AbortController>();
  private scheduled = false;

  /**
   * `schedule` runs its callback in a later task, after messages already posted to the worker
   * (a MessageChannel in the worker; any macrotask queue in tests).
   */
  constructor(
    private readonly answer: Answerer,
    private readonly post: (e: Posted) => void,
    private readonly schedule: (run: () => void) => void,
  ) {}

  add(queryId: number, query: EngineQuery): void {
    this.waiting.set(queryId, query);
    this.wake();
  }

  /** Drops a query that has not started and aborts an async one under way; a started sync one answers, and the page ignores it. */
  cancel(queryId: number): void {
    this.waiting.delete(queryId);
    this.running.get(queryId)?.abort(new DOMException('the query was cancelled', 'AbortError'));
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
    const controller = new AbortController();
    const fail = (e: unknown) => this.post({ type: 'answer', queryId, error: e instanceof Error ? e.message : String(e) });
    try {
      const answer = this.answer(query, {
        signal: controller.signal,
        onProgress: (progress) => { if (!controller.signal.aborted) this.post({ type: 'queryProgress', queryId, progress }); },
      });
      if (answer instanceof Promise) {
        this.running.set(queryId, controller);
        answer.then((a) => this.post({ type: 'answer', queryId, answer: a }), fail)
          .finally(() => this.running.delete(queryId));
      } else {
        this.post({ type: 'answer', queryId, answer });
      }
    } catch (e) {
      fail(e);
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
