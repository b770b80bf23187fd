/**
 * The single subscription's events across a rebuild, on both backends: followers of the read side
 * get every event once, in order, before, during and after the swap; the rebuild's own replay of
 * history never reaches them (reactions do not act again).
 */
import type { RecordedEvent } from '../eventStore/port';
import { appendEvents, until } from '../test/support/appendedEvents';
import { backends } from '../test/support/backends';
import { ProjectionRunner } from './projectionRunner';
import { RebuildableReadSide, type ReadModelVersion } from './rebuildableReadSide';

describe.each(backends)('RebuildableReadSide: the event feed across a swap ($name store)', (backend) => {
  it('hands every event to its followers once, in order, while a rebuild replays history side by side', async () => {
    const { store, dispose } = await backend.create();
    const version = (): ReadModelVersion => ({ runner: new ProjectionRunner(store, []), activate: () => {} });
    const readSide = new RebuildableReadSide(version(), version);
    const append = (count: number) => appendEvents(store, 'rebuilt', 'SomethingHappened', count);
    const followed: RecordedEvent[] = [];
    readSide.onEvent((event) => followed.push(event));
    try {
      await append(30);
      await readSide.start();
      readSide.startRebuild();
      // Written while the new version replays and catches up with the live one.
      const writing = append(20);
      await until(() => readSide.rebuild.state !== 'running', 'the rebuild');
      await writing;
      expect(readSide.rebuild).toMatchObject({ state: 'completed', version: 2 });
      await append(5);
      const all = await store.readAll();
      await until(() => readSide.eventsPublishedUpTo === all[all.length - 1]!.position, 'the last event published');
      expect(followed.map((event) => event.id)).toEqual(all.map((event) => event.id));
    } finally {
      await readSide.stop();
      await store.close();
      await dispose();
    }
  });
});
