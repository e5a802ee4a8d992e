// The page-to-engine channel end to end in Node: the real EngineClient on one end of a
// MessageChannel, the worker's QueryQueue and a real Session (a real archive read in-process) on
// the other. Answers come back typed by kind; aborted queries are dropped on both sides.
import { afterEach, describe, expect, it } from 'vitest';
import { writeDockerSave, type ImageSpec } from '../testing';
import { readArchive } from '../core/pipeline/read-archive';
import { toImageId } from '../core/types';
import { EngineClient, type EnginePort } from './client';
import type { EngineEvent, EngineRequest, QueryKind, TreeRowsRequest } from './protocol';
import { QueryQueue, type Answerer } from './query-queue';
import { Session } from './session';

const image: ImageSpec = {
  tags: ['app:1'],
  layers: [
    { createdBy: 'ADD base /', files: [{ path: 'etc/passwd', content: 'root:x:0:0\n' }, { path: 'usr/lib/big.so', content: 'z'.repeat(5000) }] },
    { createdBy: 'RUN rm', files: [{ path: 'etc/passwd', content: 'root:x:0:0:root\n' }] },
  ],
};

const ports: MessagePort[] = [];
afterEach(() => { for (const p of ports.splice(0)) p.close(); });

/** A client wired to a real session; `ran` lists the kinds the worker side actually answered. */
async function connect(onRun?: () => void) {
  const session = new Session();
  const result = await readArchive(new Blob([(await writeDockerSave([image])) as BlobPart]), { name: 'one.tar' });
  const [analysis] = session.addArchive(result);
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const ran: QueryKind[] = [];
  const queue = new QueryQueue((q) => { ran.push(q.kind); onRun?.(); return session.respond(q); }, (e) => port2.postMessage(e), (run) => setTimeout(run, 0));
  port2.onmessage = (ev: MessageEvent<EngineRequest>) => {
    const m = ev.data;
    if (m.type === 'query') queue.add(m.queryId, m.query);
    else if (m.type === 'cancelQuery') queue.cancel(m.queryId);
  };
  const client = new EngineClient(port1 as unknown as EnginePort);
  return { client, ran, imageId: analysis!.imageId };
}

const rows = (imageId: ReturnType<typeof toImageId>, over: Partial<TreeRowsRequest> = {}): TreeRowsRequest => ({
  imageId, view: { mode: 'final', layer: 0 }, expanded: [], expandAll: true, sort: 'name', offset: 0, limit: 50,
  filter: { text: '', regex: false, minSize: 0, show: { added: true, modified: true, meta: true, removed: true, unchanged: true } },
  ...over,
});

describe('the engine channel', () => {
  it('answers each kind with its own shape, paths bare', async () => {
    const { client, imageId } = await connect();
    const details = await client.query({ kind: 'details', imageId, view: { mode: 'final', layer: 0 }, path: 'etc/passwd' });
    expect(details).toMatchObject({ path: 'etc/passwd', type: '-', size: 16 });
    expect(details!.history.map((h) => [h.layer, h.change])).toEqual([[0, 'added'], [1, 'modified']]);
    const largest = await client.query({ kind: 'largest', imageId, limit: 2 });
    expect(largest.files).toEqual([{ path: 'usr/lib/big.so', size: 5000, layer: 0 }, { path: 'etc/passwd', size: 16, layer: 1 }]);
    expect(largest.dirs.map((d) => d.path)).toEqual(['usr', 'usr/lib']);
    const tree = await client.query({ kind: 'treeRows', request: rows(imageId) });
    expect(tree.rows.map((r) => r.path)).toEqual(['etc', 'etc/passwd', 'usr', 'usr/lib', 'usr/lib/big.so']);
  });

  it('rejects with the engine\'s message for an image it does not have', async () => {
    const { client } = await connect();
    await expect(client.query({ kind: 'findings', imageId: toImageId('sha256:nope') })).rejects.toThrow('no image sha256:nope in this load');
  });

  it('drops an aborted query: it rejects as aborted and the worker never runs it', async () => {
    const { client, ran, imageId } = await connect();
    const stale = new AbortController();
    const first = client.query({ kind: 'treeRows', request: rows(imageId, { offset: 0 }) }, stale.signal);
    stale.abort();
    const second = client.query({ kind: 'treeRows', request: rows(imageId, { offset: 3 }) });
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect((await second).rows.map((r) => r.path)).toEqual(['usr/lib', 'usr/lib/big.so']);
    expect(ran).toEqual(['treeRows']);
  });

  it('a query aborted before it is sent is never sent', async () => {
    const { client, ran, imageId } = await connect();
    const done = new AbortController();
    done.abort();
    await expect(client.query({ kind: 'packages', imageId }, done.signal)).rejects.toMatchObject({ name: 'AbortError' });
    await client.query({ kind: 'findings', imageId });
    expect(ran).toEqual(['findings']);
  });

  it('a query aborted while it runs still answers, and the answer goes nowhere', async () => {
    const late = new AbortController();
    const { client, ran, imageId } = await connect(() => late.abort());
    const q = client.query({ kind: 'sizeMap', imageId, path: 'usr', invisible: false }, late.signal);
    await expect(q).rejects.toMatchObject({ name: 'AbortError' });
    // The next query gets its own answer, not the late one.
    expect(await client.query({ kind: 'rowOf', request: rows(imageId), path: 'usr/lib' })).toBe(3);
    expect(ran).toEqual(['sizeMap', 'rowOf']);
  });
});

describe('QueryQueue', () => {
  it('answers in order, one query per task, and skips what was cancelled meanwhile', () => {
    const tasks: (() => void)[] = [];
    const posted: EngineEvent[] = [];
    // The answer here is the query's kind: the queue's order is under test, not the session.
    const echo = ((q: { kind: QueryKind }) => q.kind) as unknown as Answerer;
    const queue = new QueryQueue(echo, (e) => posted.push(e), (run) => tasks.push(run));
    const imageId = toImageId('i');
    queue.add(1, { kind: 'findings', imageId });
    queue.add(2, { kind: 'packages', imageId });
    queue.add(3, { kind: 'largest', imageId, limit: 1 });
    expect(tasks.length).toBe(1);
    tasks.shift()!();
    queue.cancel(2);
    while (tasks.length) tasks.shift()!();
    expect(posted).toEqual([{ type: 'answer', queryId: 1, answer: 'findings' }, { type: 'answer', queryId: 3, answer: 'largest' }]);
  });
});
