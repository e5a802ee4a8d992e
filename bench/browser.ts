// Headless Chromium for the bench: launch, serve a directory, sample the memory of Chromium's
// processes from /proc while something runs.

import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { createAppServer, listen } from '../src/server/app-server';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-quic', '--disable-sync', '--enable-precise-memory-info'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function serve(root: string): Promise<{ url: string; server: Server }> {
  const server = createAppServer({ root });
  const port = await listen(server, 0);
  return { url: `http://127.0.0.1:${port}/`, server };
}

interface Proc { pid: number; ppid: number; rssKb: number; renderer: boolean; cpuTicks: number }

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may itself contain spaces.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const rss = /VmRSS:\s+(\d+)/.exec(status);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      // utime and stime are fields 14 and 15 of /proc/<pid>/stat (proc(5)), in clock ticks.
      const cpuTicks = Number(fields[11]) + Number(fields[12]);
      out.push({ pid: Number(name), ppid: Number(fields[1]), rssKb: rss ? Number(rss[1]) : 0, renderer: cmdline.includes('--type=renderer'), cpuTicks });
    } catch {
      // The process exited while we looked.
    }
  }
  return out;
}

export function descendants(): Proc[] {
  const procs = processes();
  const children = new Map<number, Proc[]>();
  for (const p of procs) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const out: Proc[] = [];
  const stack = [...(children.get(process.pid) ?? [])];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

/** CPU ticks per renderer process (all threads: the page and its workers). */
export function rendererCpu(): Map<number, number> {
  return new Map(descendants().filter((p) => p.renderer).map((p) => [p.pid, p.cpuTicks]));
}

/** CPU seconds the renderers used between two rendererCpu() readings (USER_HZ is 100 on Linux). */
export function cpuSecondsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return ticks / 100;
}

/** RSS of our descendants (Chromium's processes): the renderers (page + its workers) and all. */
export function chromiumRss(): { rendererMB: number; totalMB: number } {
  let renderer = 0;
  let total = 0;
  for (const p of descendants()) {
    total += p.rssKb;
    if (p.renderer) renderer += p.rssKb;
  }
  return { rendererMB: renderer / 1024, totalMB: total / 1024 };
}

/** Samples chromiumRss every `ms` until stopped; returns the peaks. */
export function sampleRss(ms = 100): () => { rendererMB: number; totalMB: number } {
  const peak = { rendererMB: 0, totalMB: 0 };
  const take = () => {
    const now = chromiumRss();
    peak.rendererMB = Math.max(peak.rendererMB, now.rendererMB);
    peak.totalMB = Math.max(peak.totalMB, now.totalMB);
  };
  take();
  const timer = setInterval(take, ms);
  return () => {
    clearInterval(timer);
    take();
    return peak;
  };
}
