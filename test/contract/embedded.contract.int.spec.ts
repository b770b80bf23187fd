import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../eventStore/embedded/sqliteEventStore';
import { writerThreadFromSources } from '../support/writerThreadFromSources';
import { describeEventStoreContract } from './eventStoreContract';

describeEventStoreContract('embedded SQLite (in memory)', async () => {
  const store = new SqliteEventStore({ filename: ':memory:' });
  return { store, dispose: () => store.close() };
});

describeEventStoreContract('embedded SQLite (file, WAL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eventshop-contract-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeEventStoreContract('embedded SQLite (file, WAL, commits on the writer thread)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'eventshop-contract-'));
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), writerThread: writerThreadFromSources });
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
