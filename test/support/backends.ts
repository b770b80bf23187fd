/**
 * The event-store backends every end-to-end suite runs against. Each entry makes a fresh,
 * empty store; suites call `describe.each(backends)`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../eventStore/embedded/sqliteEventStore';
import { createEsdbEventStore } from '../../eventStore/esdb/esdbEventStore';
import { startEsdbTestServer } from './esdbTestServer';
import type { EventStore } from '../../eventStore/port';

export interface TestBackend {
  readonly name: string;
  /** A fresh store; `reopen` gives a new store on the same data (a restart). */
  create(): Promise<{
    store: EventStore;
    reopen: () => Promise<EventStore>;
    dispose: () => Promise<void>;
    /** Environment for a gateway child process on the same data. */
    env: Record<string, string>;
  }>;
}

export const embeddedBackend: TestBackend = {
  name: 'embedded',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'eventshop-e2e-'));
    const filename = join(dir, 'events.sqlite');
    return {
      store: new SqliteEventStore({ filename }),
      reopen: async () => new SqliteEventStore({ filename }),
      env: { DATA_DIR: dir },
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

/**
 * Whether the end-to-end suites' test server offers BatchAppend. Off unless ESDB_TEST_BATCH_APPEND=1:
 * `@eventstore/db-client` 6.2.1 keeps BatchAppend's pending appends in one module-wide map, and a
 * client whose batch stream ends (a disposed client: another test gateway stopping, a foreign
 * writer in the same test) clears every client's entries; a reply for a cleared append then throws
 * a TypeError inside the client ("undefined is not iterable"). A gateway process has one client,
 * so production never meets it; these suites run several clients in one process. The adapter's
 * BatchAppend path keeps its own tests (esdbEventStore.int.spec.ts, the contract suite).
 */
const E2E_BATCH_APPEND = process.env.ESDB_TEST_BATCH_APPEND === '1';

/** The EventStoreDB adapter over real gRPC, against the project's protocol test server (test infrastructure). */
export const esdbBackend: TestBackend = {
  name: 'EventStoreDB (protocol test server)',
  async create() {
    const server = await startEsdbTestServer({ advertiseBatchAppend: E2E_BATCH_APPEND });
    return {
      store: createEsdbEventStore(server.connectionString),
      reopen: async () => createEsdbEventStore(server.connectionString),
      env: { EVENTSTORE_CONNECTION_STRING: server.connectionString },
      dispose: () => server.stop(),
    };
  },
};

export const backends: readonly TestBackend[] = [embeddedBackend, esdbBackend];
