import type { EventStore } from '../../eventStore/port';
import { esdbBackend, type TestBackend } from './backends';

/**
 * A second connection to the same data, open at the same time: a second client on EventStoreDB;
 * on the embedded store (one process per data folder) the same store, shared.
 */
export const concurrentConnection = (backend: TestBackend, store: EventStore, reopen: () => Promise<EventStore>): Promise<EventStore> =>
  backend === esdbBackend ? reopen() : Promise.resolve(store);
