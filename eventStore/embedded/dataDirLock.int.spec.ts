/**
 * The one-writer lock within one process (two real gateway processes on one DATA_DIR, and a start
 * after kill -9, are in test/e2e/dataDirLock.e2e.spec.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError, DataDirLock } from './dataDirLock';
import { SqliteEventStore } from './sqliteEventStore';

describe('DATA_DIR lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eventshop-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second holder, naming the first, until the first releases it', () => {
    const first = DataDirLock.acquire(dir);
    let refusal: unknown;
    try {
      DataDirLock.acquire(dir);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataDirInUseError);
    expect(refusal).toMatchObject({ code: 'DATA_DIR_IN_USE', owner: { pid: process.pid } });
    expect((refusal as Error).message).toMatch(new RegExp(`process ${process.pid} on .+, started \\d{4}-`));
    expect((refusal as Error).message).toMatch(/EventStoreDB/);
    first.release();
    DataDirLock.acquire(dir).release();
  });

  it('is held by an embedded store opened with exclusiveDataDir until it closes; other opens of the file are not locked', async () => {
    const filename = join(dir, 'events.sqlite');
    const store = new SqliteEventStore({ filename, exclusiveDataDir: dir });
    expect(() => new SqliteEventStore({ filename, exclusiveDataDir: dir })).toThrow(DataDirInUseError);
    const reader = new SqliteEventStore({ filename });
    await reader.close();
    await store.close();
    await new SqliteEventStore({ filename, exclusiveDataDir: dir }).close();
  });
});
