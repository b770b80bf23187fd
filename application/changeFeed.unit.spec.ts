import type { RecordedEvent } from '../eventStore/port';
import { changeChannel, changeKey } from '../projections/changeChannel';
import type { DocumentChange } from '../projections/projection';
import { ChangeFeed, type ChangeSource } from './changeFeed';

interface Doc {
  readonly id: string;
  readonly n: number;
}
const docs = changeChannel<Doc>('docs');
const docsByParity = changeKey(docs, 'parity', (doc) => (doc.n % 2 === 0 ? 'even' : 'odd'));

class FakeSource implements ChangeSource {
  readonly listeners = new Set<(change: DocumentChange) => void>();
  onChange(listener: (change: DocumentChange) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  publish(projection: string, id: string, n: number | null) {
    const change: DocumentChange = { projection, id, document: n === null ? null : { id, n }, event: {} as RecordedEvent };
    for (const listener of this.listeners) listener(change);
  }
}

const next = <T>(iterator: AsyncIterator<T>) => iterator.next().then((result) => result.value);

describe('ChangeFeed: one typed channel per projection, indexed by document id', () => {
  let source: FakeSource;
  let shutdown: AbortController;
  let feed: ChangeFeed;
  beforeEach(() => {
    source = new FakeSource();
    shutdown = new AbortController();
    feed = new ChangeFeed(source, shutdown.signal);
  });
  afterEach(() => shutdown.abort());

  it('wakes a subscriber to one document only for that document of its projection', async () => {
    let woken = 0;
    const iterator = feed.stream(docs, { id: 'a', select: (change) => ((woken += 1), change.document.n) })[Symbol.asyncIterator]();
    const first = next(iterator);
    await new Promise((resolve) => setImmediate(resolve));
    for (let n = 0; n < 100; n += 1) source.publish('docs', `other-${n}`, n);
    source.publish('others', 'a', 7);
    source.publish('docs', 'a', null);
    source.publish('docs', 'a', 42);
    expect(await first).toBe(42);
    expect(woken).toBe(1);
    await iterator.return?.();
  });

  it('feeds a channel-wide subscriber every document of its projection, typed, and nothing of another', async () => {
    const iterator = feed.stream(docs, { select: (change) => `${change.id}:${change.document.n}` })[Symbol.asyncIterator]();
    const first = next(iterator);
    await new Promise((resolve) => setImmediate(resolve));
    source.publish('others', 'x', 1);
    source.publish('docs', 'b', 2);
    source.publish('docs', 'c', 3);
    expect(await first).toBe('b:2');
    expect(await next(iterator)).toBe('c:3');
    await iterator.return?.();
  });

  it('listens to the source once for all its subscribers, and not at all once they have gone', async () => {
    const iterators = ['a', 'b', undefined].map((id) =>
      feed.stream(docs, { ...(id ? { id } : {}), select: (change) => change.document.n })[Symbol.asyncIterator](),
    );
    const pending = iterators.map(next);
    await new Promise((resolve) => setImmediate(resolve));
    expect(source.listeners.size).toBe(1);
    source.publish('docs', 'a', 1);
    source.publish('docs', 'b', 2);
    expect(await Promise.all(pending)).toEqual([1, 2, 1]);
    for (const iterator of iterators) await iterator.return?.();
    expect(source.listeners.size).toBe(0);
  });

  it("wakes a subscriber to one key value (a customer's orders) only for documents with that value", async () => {
    let woken = 0;
    const evenDocs = feed.stream(docs, { key: { by: docsByParity, value: 'even' }, select: (change) => ((woken += 1), change.id) });
    const iterator = evenDocs[Symbol.asyncIterator]();
    const first = next(iterator);
    await new Promise((resolve) => setImmediate(resolve));
    for (let n = 0; n < 100; n += 1) source.publish('docs', `odd-${n}`, 2 * n + 1);
    source.publish('others', 'x', 2);
    source.publish('docs', 'e', 4);
    expect(await first).toBe('e');
    expect(woken).toBe(1);
    await iterator.return?.();
    expect(source.listeners.size).toBe(0);
  });

  it('ends every stream at shutdown', async () => {
    const iterator = feed.stream(docs, { id: 'a', select: (change) => change.document.n })[Symbol.asyncIterator]();
    const pending = iterator.next();
    await new Promise((resolve) => setImmediate(resolve));
    shutdown.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
