// Reads a V8 heap snapshot (the .heapsnapshot JSON DevTools writes, or ThreadSampler.heapSnapshot)
// and says where the memory is: self size by constructor, and the dominator tree's big retainers
// (what would be freed if that object went), each named by the path of edges that holds it. The
// dominators are Cooper, Harvey and Kennedy's iterative algorithm ("A Simple, Fast Dominance
// Algorithm", 2001) over the snapshot's strong edges, as DevTools' "Retained size" column.
//
//   npx tsx bench/heap-summary.ts file.heapsnapshot [--min-mb 1] [--depth 8]

import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: (string[] | string)[]; edge_fields: string[]; edge_types: (string[] | string)[] }; node_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapSummary {
  totalBytes: number;
  nodes: number;
  /** Self size summed by type and name (constructor), largest first. */
  byClass: { name: string; count: number; bytes: number }[];
  /** Retained sizes along the dominator tree, indented by depth, big ones only. */
  retainers: { depth: number; label: string; retainedBytes: number; selfBytes: number }[];
}

export function summariseHeap(json: string, opts: { minBytes?: number; depth?: number; top?: number } = {}): HeapSummary {
  const s = JSON.parse(json) as Snapshot;
  const meta = s.snapshot.meta;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const nType = meta.node_fields.indexOf('type');
  const nName = meta.node_fields.indexOf('name');
  const nSelf = meta.node_fields.indexOf('self_size');
  const nEdges = meta.node_fields.indexOf('edge_count');
  const eType = meta.edge_fields.indexOf('type');
  const eName = meta.edge_fields.indexOf('name_or_index');
  const eTo = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[nType] as string[];
  const edgeTypes = meta.edge_types[eType] as string[];
  const weak = edgeTypes.indexOf('weak');
  const elementEdge = edgeTypes.indexOf('element');
  const hiddenEdge = edgeTypes.indexOf('hidden');
  const n = s.nodes.length / nf;
  const firstEdge = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) firstEdge[i + 1] = firstEdge[i]! + s.nodes[i * nf + nEdges]!;
  const self = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) { self[i] = s.nodes[i * nf + nSelf]!; total += self[i]!; }
  const typeOf = (i: number) => nodeTypes[s.nodes[i * nf + nType]!]!;
  const nameOf = (i: number) => s.strings[s.nodes[i * nf + nName]!]!;

  const classes = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < n; i++) {
    const t = typeOf(i);
    const key = t === 'object' || t === 'native' || t === 'closure' ? `${nameOf(i).slice(0, 60)}` : `(${t})${t === 'string' || t === 'concatenated string' || t === 'sliced string' ? '' : ` ${nameOf(i).slice(0, 40)}`}`;
    const c = classes.get(key) ?? { count: 0, bytes: 0 };
    c.count++;
    c.bytes += self[i]!;
    classes.set(key, c);
  }
  const byClass = [...classes].map(([name, c]) => ({ name, ...c })).sort((a, b) => b.bytes - a.bytes).slice(0, opts.top ?? 25);

  // Depth-first postorder from the root (node 0) over strong edges.
  const strong = (e: number) => s.edges[e * ef + eType] !== weak;
  const to = (e: number) => s.edges[e * ef + eTo]! / nf;
  const post = new Int32Array(n).fill(-1);
  const order: number[] = [];
  const stack: number[] = [0];
  const cursor = new Uint32Array(n);
  const seen = new Uint8Array(n);
  seen[0] = 1;
  for (let i = 0; i < n; i++) cursor[i] = firstEdge[i]!;
  while (stack.length) {
    const v = stack[stack.length - 1]!;
    if (cursor[v]! < firstEdge[v + 1]!) {
      const e = cursor[v]!++;
      if (!strong(e)) continue;
      const w = to(e);
      if (!seen[w]) { seen[w] = 1; stack.push(w); }
    } else {
      stack.pop();
      post[v] = order.length;
      order.push(v);
    }
  }
  // Predecessors (strong edges from reachable nodes).
  const predCount = new Uint32Array(n + 1);
  for (let v = 0; v < n; v++) {
    if (!seen[v]) continue;
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) if (strong(e)) predCount[to(e) + 1]!++;
  }
  for (let i = 0; i < n; i++) predCount[i + 1]! += predCount[i]!;
  const preds = new Int32Array(predCount[n]!);
  const fill = predCount.slice(0, n);
  for (let v = 0; v < n; v++) {
    if (!seen[v]) continue;
    for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e++) if (strong(e)) preds[fill[to(e)]!++] = v;
  }
  const idom = new Int32Array(n).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (post[a]! < post[b]!) a = idom[a]!;
      while (post[b]! < post[a]!) b = idom[b]!;
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let k = order.length - 2; k >= 0; k--) {
      const v = order[k]!;
      let d = -1;
      for (let p = predCount[v]!; p < predCount[v + 1]!; p++) {
        const u = preds[p]!;
        if (idom[u] === -1) continue;
        d = d === -1 ? u : intersect(u, d);
      }
      if (d !== -1 && idom[v] !== d) { idom[v] = d; changed = true; }
    }
  }
  const retained = Float64Array.from(self);
  for (const v of order) if (v !== 0 && idom[v]! >= 0) retained[idom[v]!]! += retained[v]!;
  // Unreachable nodes (not yet collected) are not retained by anything: add them to the root's total.

  // Children in the dominator tree, and a label per node: the edge its dominator (or a retainer) holds it by.
  const kids = new Map<number, number[]>();
  for (const v of order) {
    if (v === 0) continue;
    const d = idom[v]!;
    if (d < 0) continue;
    let list = kids.get(d);
    if (!list) kids.set(d, (list = []));
    list.push(v);
  }
  const edgeName = (from: number, node: number) => {
    for (let e = firstEdge[from]!; e < firstEdge[from + 1]!; e++) {
      if (to(e) !== node) continue;
      const t = s.edges[e * ef + eType]!;
      const nm = s.edges[e * ef + eName]!;
      return t === elementEdge || t === hiddenEdge ? `[${nm}]` : String(s.strings[nm]);
    }
    for (let p = predCount[node]!; p < predCount[node + 1]!; p++) return `(via ${nameOf(preds[p]!).slice(0, 30)})`;
    return '?';
  };
  const minBytes = opts.minBytes ?? 1e6;
  const maxDepth = opts.depth ?? 10;
  const retainers: HeapSummary['retainers'] = [];
  const visit = (v: number, depth: number) => {
    const list = (kids.get(v) ?? []).filter((c) => retained[c]! >= minBytes).sort((a, b) => retained[b]! - retained[a]!);
    for (const c of list.slice(0, 12)) {
      retainers.push({ depth, label: `${edgeName(v, c)}: ${typeOf(c) === 'object' || typeOf(c) === 'native' ? nameOf(c).slice(0, 50) : `(${typeOf(c)}) ${nameOf(c).slice(0, 30)}`}`, retainedBytes: retained[c]!, selfBytes: self[c]! });
      if (depth < maxDepth) visit(c, depth + 1);
    }
  };
  visit(0, 0);
  return { totalBytes: total, nodes: n, byClass, retainers };
}

export function printHeap(title: string, h: HeapSummary): void {
  const mb = (b: number) => (b / 1e6).toFixed(1).padStart(7);
  console.log(`\n${title}: ${mb(h.totalBytes).trim()} MB in ${h.nodes} nodes (self size, JS heap and ArrayBuffer backing stores)`);
  console.log('  by constructor (self MB, count):');
  for (const c of h.byClass) console.log(`  ${mb(c.bytes)}  ${String(c.count).padStart(8)}  ${c.name}`);
  console.log('  dominator tree (retained MB, self MB): what freeing each would free');
  for (const r of h.retainers) console.log(`  ${mb(r.retainedBytes)} ${mb(r.selfBytes)}  ${'  '.repeat(r.depth)}${r.label}`);
}

if (process.argv[1] && /heap-summary\.ts$/.test(process.argv[1])) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) throw new Error('usage: heap-summary.ts file.heapsnapshot [--min-mb N] [--depth N]');
  const num = (k: string, d: number) => { const i = args.indexOf(k); return i >= 0 ? Number(args[i + 1]) : d; };
  printHeap(file, summariseHeap(readFileSync(file, 'utf8'), { minBytes: num('--min-mb', 1) * 1e6, depth: num('--depth', 10) }));
}
