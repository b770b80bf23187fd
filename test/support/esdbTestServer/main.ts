/**
 * TEST INFRASTRUCTURE — NOT PRODUCT STORAGE.
 *
 * Runs the EventStoreDB protocol test server as its own process, so tests can SIGKILL it:
 *
 *   node -r ./test/support/esdbTestServer/registerTypeScript.js test/support/esdbTestServer/main.ts \
 *     [--port 0] [--data-file /tmp/esdb.jsonl] [--no-batch-append]
 *
 * Environment alternatives: ESDB_TEST_SERVER_PORT, ESDB_TEST_SERVER_DATA_FILE,
 * ESDB_TEST_SERVER_BATCH_APPEND=false. With a data file, every append is written to it (JSON lines,
 * synchronously) before it is acknowledged, and a restarted process serves the same log.
 *
 * Prints one line when listening: `esdb-test-server ready port=<port> connectionString=<...>`.
 */
import { startEsdbTestServer } from './server';

export const READY_PREFIX = 'esdb-test-server ready';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<void> {
  const port = Number(argument('--port') ?? process.env.ESDB_TEST_SERVER_PORT ?? 0);
  const dataFile = argument('--data-file') ?? process.env.ESDB_TEST_SERVER_DATA_FILE;
  const advertiseBatchAppend = !process.argv.includes('--no-batch-append') && process.env.ESDB_TEST_SERVER_BATCH_APPEND !== 'false';
  if (!Number.isInteger(port) || port < 0) throw new Error(`invalid port ${String(port)}`);
  const server = await startEsdbTestServer({
    port,
    advertiseBatchAppend,
    ...(dataFile !== undefined ? { dataFile } : {}),
  });
  process.stdout.write(`${READY_PREFIX} port=${server.port} connectionString=${server.connectionString}\n`);
  const shutdown = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`esdb-test-server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
