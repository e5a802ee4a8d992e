// `npx tsx bench/cpuprofile-summary.ts <file.cpuprofile>... [--top N]`: where CPU profiles' time
// went (the .cpuprofile files `npm run bench -- --ui-profile DIR` writes, one per repetition, or
// Node's --cpu-prof), summed over the files given, per file on average: busy time (everything but
// "(idle)"), garbage collection, and the functions with the most self time and the most total
// time (each function counted once per sample, however deep it recurses).

import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

interface Sums { self: Map<string, number>; total: Map<string, number>; busy: number; gc: number; wall: number }

function add(file: string, s: Sums): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: Node) => {
    const f = n.callFrame;
    const where = f.url ? ` ${path.basename(f.url.split('?')[0]!)}:${f.lineNumber + 1}` : '';
    return `${f.functionName || '(anonymous)'}${where}`;
  };
  const { self, total } = s;
  // timeDeltas[i] is the time before sample i; the sample stands for the interval that follows it.
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    const leaf = byId.get(p.samples[i]!)!;
    const name = leaf.callFrame.functionName;
    if (name === '(idle)') continue;
    s.busy += dt;
    if (name === '(garbage collector)') s.gc += dt;
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const l = label(byId.get(id)!);
      if (seen.has(l)) continue;
      seen.add(l);
      total.set(l, (total.get(l) ?? 0) + dt);
    }
  }
  s.wall += (p.endTime - p.startTime) / 1000;
}

function print(title: string, s: Sums, n: number, top: number): void {
  console.log(`\n${title}: ${n} profile${n === 1 ? '' : 's'}, per profile: ${(s.wall / n).toFixed(1)} ms profiled, ${(s.busy / n).toFixed(1)} ms busy (not idle), ${(s.gc / n).toFixed(1)} ms GC`);
  const list = (m: Map<string, number>, what: string) => {
    console.log(`  ${what} (ms per profile):`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`    ${(v / n).toFixed(2).padStart(8)}  ${(100 * v / s.busy).toFixed(1).padStart(5)} %  ${k}`);
  };
  list(s.self, 'self time');
  list(s.total, 'total time (with callees)');
}

const args = process.argv.slice(2);
const at = args.indexOf('--top');
const top = at >= 0 ? Number(args.splice(at, 2)[1]) : 25;
const sums: Sums = { self: new Map(), total: new Map(), busy: 0, gc: 0, wall: 0 };
for (const f of args) add(f, sums);
print(args.length === 1 ? args[0]! : `${args.length} files`, sums, args.length, top);
