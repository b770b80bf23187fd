/** What the embedded store keeps on disk under stream retention (the contract suite checks what reads return). */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from './sqliteEventStore';

describe('embedded SQLite: retention is bounded on disk', () => {
  it('deletes the rows maxCount no longer keeps, and expired rows on the next append', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eventshop-retention-'));
    const filename = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ filename });
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
});
