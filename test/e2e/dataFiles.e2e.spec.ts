/**
 * The embedded store's files are its user's alone (issue 11, finding 11): DATA_DIR 0700, the
 * SQLite file and its WAL 0600, whatever the process umask, also for a DATA_DIR made earlier
 * with looser modes. (The EventStoreDB backend keeps no files here.)
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config';
import { createEventStore } from '../../server/eventStoreFactory';
import { startGateway } from '../../server/gateway';
import { TEST_JWT_SECRET, createItem } from '../support/gatewayHarness';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('the embedded store’s files', () => {
  let parent: string;
  let previousUmask: number;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'eventshop-modes-'));
    previousUmask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(previousUmask);
    rmSync(parent, { recursive: true, force: true });
  });

  it.each([
    ['a new DATA_DIR', false],
    ['a DATA_DIR made earlier with mode 0755', true],
  ])('are private in %s', async (_what, preexisting) => {
    const dataDir = join(parent, 'data');
    if (preexisting) {
      mkdirSync(dataDir);
      chmodSync(dataDir, 0o755);
    }
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      SEED_DEMO_DATA: 'false',
      JWT_SECRET: TEST_JWT_SECRET,
      DATA_DIR: dataDir,
    });
    const gateway = await startGateway({ config, store: createEventStore(config) });
    try {
      await createItem(gateway.url, 'MODES');
      const database = join(dataDir, 'events.sqlite');
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(database)).toBe(0o600);
      expect(existsSync(`${database}-wal`)).toBe(true);
      expect(modeOf(`${database}-wal`)).toBe(0o600);
      if (existsSync(`${database}-shm`)) expect(modeOf(`${database}-shm`)).toBe(0o600);
    } finally {
      await gateway.stop();
    }
  });
});
