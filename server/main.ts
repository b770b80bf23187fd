import { loadConfig } from './config';
import { createEventStore } from './eventStoreFactory';
import { startGateway } from './gateway';
import { startTracingFromEnv } from './tracing';

async function main(): Promise<void> {
  // Whatever the gateway creates (the event log, its WAL, secrets) is its user's alone.
  process.umask(0o077);
  const config = loadConfig();
  // Before anything that makes spans: off (null) unless the OTEL_* variables ask for it.
  const tracing = startTracingFromEnv();
  const store = createEventStore(config);
  const gateway = await startGateway({ config, store });
  process.stdout.write(
    `\n  GraphiQL: ${gateway.url}\n  Event store: ${store.kind}${store.kind === 'embedded' ? ` (${config.embeddedFilename})` : ''}\n\n`,
  );
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(1);
    process.stdout.write(`${signal} received: shutting down (again to force)\n`);
    gateway
      .stop()
      .then(() => tracing?.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`shutdown failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

main().catch((error: unknown) => {
  process.stderr.write(`The gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
