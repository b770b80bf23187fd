/** What the embedded store keeps on disk under stream retention (the contract suite checks what reads return). */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writerThreadFromSources } from '../../test/support/writerThreadFromSources';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqliteEventStore';

describe.each([
  ['on this thread', {}],
  ['on the writer thread', { writerThread: writerThreadFromSources }],
] as Array<[string, Partial<SqliteEventStoreOptions>]>)('embedded SQLite, commits %s: retention is bounded on disk', (_, writing) => {
  it('deletes the rows maxCount no longer keeps, and expired rows on the next append', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventshop-retention-'));
    const filename = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ filename, ...writing });
    const rowsOf = (stream: string) => {
      const db = new Database(filename, { readonly: true });
      try {
        return db.prepare('SELECT stream_revision FROM events WHERE stream_name = ? ORDER BY stream_revision').pluck().all(stream);
      } finally {
        db.close();
      }
    };
    const event = () => ({ id: randomUUID(), type: 'ValueStored', data: {}, metadata: {} });
    try {
      await store.setStreamMetadata('_checkpoint-bounded', { maxCount: 1 });
      for (let i = 0; i < 50; i += 1) await store.appendToStream('_checkpoint-bounded', [event()], { expectedRevision: 'any' });
      expect(rowsOf('_checkpoint-bounded')).toEqual([49]);

      await store.appendToStream('aged-1', [event(), event()], { expectedRevision: 'no_stream' });
      await store.setStreamMetadata('aged-1', { maxAgeSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await store.appendToStream('aged-1', [event()], { expectedRevision: 1 });
      expect(rowsOf('aged-1')).toEqual([2]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('drops the expired rows of streams never written again (an idempotency claim), at open and on demand', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventshop-retention-'));
    const filename = join(dir, 'events.sqlite');
    const count = (stream: string) => {
      const db = new Database(filename, { readonly: true });
      try {
        return db.prepare('SELECT COUNT(*) FROM events WHERE stream_name = ?').pluck().get(stream);
      } finally {
        db.close();
      }
    };
    const event = () => ({ id: randomUUID(), type: 'ValueStored', data: {}, metadata: {} });
    let store = new SqliteEventStore({ filename, ...writing });
    try {
      await store.setStreamMetadata('_idempotency-once', { maxAgeSeconds: 1 });
      await store.appendToStream('_idempotency-once', [event()], { expectedRevision: 'no_stream' });
      await store.setStreamMetadata('_idempotency-kept', { maxAgeSeconds: 3600 });
      await store.appendToStream('_idempotency-kept', [event()], { expectedRevision: 'no_stream' });
      await store.appendToStream('no-retention', [event()], { expectedRevision: 'no_stream' });
      expect(await store.pruneExpiredEvents()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await store.close();
      store = new SqliteEventStore({ filename, ...writing });
      expect(count('_idempotency-once')).toBe(0);
      expect(count('_idempotency-kept')).toBe(1);
      expect(count('no-retention')).toBe(1);
      // The stream's revision keeps counting although its rows are gone.
      await expect(store.appendToStream('_idempotency-once', [event()], { expectedRevision: 'no_stream' })).rejects.toThrow();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
