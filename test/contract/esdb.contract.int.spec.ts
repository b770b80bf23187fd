/**
 * The event-store contract against the EventStoreDB adapter:
 * - over the EventStoreDB protocol test server (test/support/esdbTestServer, TEST INFRASTRUCTURE),
 *   once with BatchAppend advertised (what real servers since 21.10 do) and once without (the
 *   client then appends over Streams.Append);
 * - against a real EventStoreDB when EVENTSTORE_TEST_CONNECTION_STRING is set
 *   (e.g. `esdb://localhost:2113?tls=false`), skipped otherwise.
 */
import { createEsdbEventStore } from '../../eventStore/esdb/esdbEventStore';
import { startEsdbTestServer, type EsdbTestServer } from '../support/esdbTestServer';
import { describeEventStoreContract } from './eventStoreContract';

function describeAgainstTestServer(name: string, advertiseBatchAppend: boolean): void {
  let server: EsdbTestServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });
  describeEventStoreContract(name, async () => {
    server ??= await startEsdbTestServer({ advertiseBatchAppend });
    const store = createEsdbEventStore(server.connectionString);
    return { store, dispose: () => store.close() };
  });
}

describeAgainstTestServer('EventStoreDB adapter over the protocol test server (BatchAppend)', true);
describeAgainstTestServer('EventStoreDB adapter over the protocol test server (Append, no BatchAppend advertised)', false);

const realConnectionString = process.env.EVENTSTORE_TEST_CONNECTION_STRING;
if (realConnectionString) {
  describeEventStoreContract(`EventStoreDB adapter against a real EventStoreDB (${realConnectionString})`, async () => {
    const store = createEsdbEventStore(realConnectionString);
    return { store, dispose: () => store.close() };
  });
} else {
  describe.skip('event store contract: EventStoreDB adapter against a real EventStoreDB (set EVENTSTORE_TEST_CONNECTION_STRING to run)', () => {
    it('runs the whole contract suite against the server at EVENTSTORE_TEST_CONNECTION_STRING', () => undefined);
  });
}
