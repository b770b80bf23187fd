import { Repeater } from '@repeaterjs/repeater';
import { SharedSubscriptions, type FrameSink } from './sharedSubscriptions';

class RecordingSink implements FrameSink {
  readonly OPEN = 1;
  readyState = 1;
  readonly frames: string[] = [];
  send(frame: string): void {
    this.frames.push(frame);
  }
}

/** A source the test pushes results into, recording whether it was stopped. */
function controlledSource() {
  let push: (value: unknown) => Promise<unknown> = () => Promise.resolve();
  let fail: (error: unknown) => void = () => undefined;
  let end: () => void = () => undefined;
  const state = { started: 0, stopped: false };
  const start = () => {
    state.started += 1;
    return new Repeater<unknown>(async (repeaterPush, stop) => {
      push = repeaterPush;
      fail = (error) => stop(error);
      end = () => stop();
      await stop;
      state.stopped = true;
    });
  };
  return { start, state, push: (value: unknown) => push(value), fail: (error: unknown) => fail(error), end: () => end() };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

type Parked = AsyncIterableIterator<never>;

describe('SharedSubscriptions', () => {
  it('starts one execution for every subscriber of a key and sends each the shared payload under its own id', async () => {
    const shared = new SharedSubscriptions();
    const source = controlledSource();
    const sinks = [new RecordingSink(), new RecordingSink(), new RecordingSink()];
    const ids = ['1', 'a"b', '1'];
    await Promise.all(sinks.map((sink, index) => shared.join('key', { id: ids[index]!, sink }, source.start)));
    await flush();

    await source.push({ data: { change: 1 } });
    await flush();

    expect(source.state.started).toBe(1);
    expect(sinks.map((sink) => sink.frames.map((frame) => JSON.parse(frame) as unknown))).toEqual(
      ids.map((id) => [{ id, type: 'next', payload: { data: { change: 1 } } }]),
    );
  });

  it('keeps the execution for the others when one subscriber leaves, and stops it when the last one does', async () => {
    const shared = new SharedSubscriptions();
    const source = controlledSource();
    const [first, second] = [new RecordingSink(), new RecordingSink()];
    const firstStream = (await shared.join('key', { id: 'x', sink: first }, source.start)) as Parked;
    const secondStream = (await shared.join('key', { id: 'y', sink: second }, source.start)) as Parked;
    const firstEnded = firstStream.next();

    await firstStream.return!();
    expect(await firstEnded).toEqual({ done: true, value: undefined });
    await flush();
    await source.push({ data: { change: 2 } });
    await flush();
    expect(first.frames).toHaveLength(0);
    expect(second.frames).toHaveLength(1);
    expect(source.state.stopped).toBe(false);

    await secondStream.return!();
    await flush();
    expect(source.state.stopped).toBe(true);
    expect(shared.executionCount).toBe(0);

    // A later subscriber starts a new execution.
    await shared.join('key', { id: 'z', sink: new RecordingSink() }, source.start);
    expect(source.state.started).toBe(2);
  });

  it('runs separate executions for separate keys', async () => {
    const shared = new SharedSubscriptions();
    const alice = controlledSource();
    const bob = controlledSource();
    const [aliceSink, bobSink] = [new RecordingSink(), new RecordingSink()];
    await shared.join('customer:alice', { id: '1', sink: aliceSink }, alice.start);
    await shared.join('customer:bob', { id: '1', sink: bobSink }, bob.start);
    await flush();

    await alice.push({ data: { order: 'alice-order' } });
    await flush();

    expect(aliceSink.frames).toHaveLength(1);
    expect(bobSink.frames).toHaveLength(0);
    expect(shared.executionCount).toBe(2);
  });

  it('ends every subscriber when the source completes, and fails every subscriber when it fails', async () => {
    const shared = new SharedSubscriptions();
    const completing = controlledSource();
    const done = [
      (await shared.join('done', { id: '1', sink: new RecordingSink() }, completing.start)) as Parked,
      (await shared.join('done', { id: '2', sink: new RecordingSink() }, completing.start)) as Parked,
    ];
    const failing = controlledSource();
    const failed = [
      (await shared.join('failed', { id: '1', sink: new RecordingSink() }, failing.start)) as Parked,
      (await shared.join('failed', { id: '2', sink: new RecordingSink() }, failing.start)) as Parked,
    ];
    await flush();

    completing.end();
    failing.fail(new Error('source failed'));

    for (const stream of done) expect(await stream.next()).toEqual({ done: true, value: undefined });
    for (const stream of failed) await expect(stream.next()).rejects.toThrow('source failed');
    expect(shared.executionCount).toBe(0);
  });

  it('gives every subscriber waiting for the start the single result a refused start gave, and keeps nothing', async () => {
    const shared = new SharedSubscriptions();
    const refusal = { errors: [{ message: 'Customers see only their own orders', extensions: { code: 'FORBIDDEN' } }] };
    let starts = 0;
    const start = () => {
      starts += 1;
      return refusal;
    };
    const results = await Promise.all([
      shared.join('key', { id: '1', sink: new RecordingSink() }, start),
      shared.join('key', { id: '2', sink: new RecordingSink() }, start),
    ]);
    expect(results).toEqual([refusal, refusal]);
    expect(starts).toBe(1);
    expect(shared.executionCount).toBe(0);
  });

  it('writes nothing to a socket that is no longer open', async () => {
    const shared = new SharedSubscriptions();
    const source = controlledSource();
    const [closing, open] = [new RecordingSink(), new RecordingSink()];
    await shared.join('key', { id: '1', sink: closing }, source.start);
    await shared.join('key', { id: '2', sink: open }, source.start);
    await flush();
    closing.readyState = 2;

    await source.push({ data: {} });
    await flush();

    expect(closing.frames).toHaveLength(0);
    expect(open.frames).toHaveLength(1);
  });
});
