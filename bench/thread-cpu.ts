// CPU time of the page's threads, from /proc/<pid>/task/<tid>/stat: the renderer's main thread
// (its tid is the pid: React, style, layout, paint) apart from its dedicated workers (the engine and
// the layer workers). Contention on a shared machine stretches wall-clock times; CPU time per
// thread moves far less, so the interactive steps print both. Clock ticks are 10 ms (USER_HZ 100):
// summed over a step's 20 repetitions that is 0.5 ms per repetition.

import { readdirSync, readFileSync } from 'node:fs';
import { descendants } from './browser';

export interface ThreadTicks { main: number; workers: number }

export function threadTicks(pid: number): ThreadTicks {
  const out: ThreadTicks = { main: 0, workers: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // utime and stime are fields 14 and 15 of stat (proc(5)), after the parenthesised name.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      if (tid === String(pid)) out.main += ticks; // the main thread's tid is the pid (named after the binary)
      else if (comm.startsWith('DedicatedWorker')) out.workers += ticks;
    } catch {
      // The thread exited while we looked.
    }
  }
  return out;
}

/** Milliseconds of CPU between two readings. */
export const ticksToMs = (t: number) => t * 10;

/**
 * The renderer of our page: among this process's descendants (other Chromiums may run on the
 * machine), the newest renderer with DedicatedWorker threads.
 */
export function ourPageProcess(): number | undefined {
  let best: { pid: number; started: number } | undefined;
  for (const p of descendants()) {
    if (!p.renderer) continue;
    try {
      const tasks = readdirSync(`/proc/${p.pid}/task`);
      if (!tasks.some((t) => readFileSync(`/proc/${p.pid}/task/${t}/comm`, 'utf8').startsWith('DedicatedWorker'))) continue;
      // Field 22 of /proc/<pid>/stat (proc(5)): start time in clock ticks after boot.
      const stat = readFileSync(`/proc/${p.pid}/stat`, 'utf8');
      const started = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
      if (!best || started > best.started) best = { pid: p.pid, started };
    } catch {
      // The process exited while we looked.
    }
  }
  return best?.pid;
}
