/**
 * The gateway under test, exactly as `npm start` builds it (loadConfig + the store factory +
 * startGateway), in its own process, configured for production (NODE_ENV=production, a JWT secret
 * the bench signs its admin token with). The per-client mutation rate limit and connection caps
 * are raised to their maximum so that they are exercised but never throttle the load. Settings a
 * gateway version does not know are ignored by its loadConfig. Input: { store: 'memory' | 'file',
 * dataDir?, jwtSecret, port?, env? } (a fixed port lets a probe reach the gateway before it reports
 * ready, e.g. during start-up replay; env: further settings, e.g. RESPONSE_CACHE_ENTRIES=0 for the
 * gateway without its response cache).
 */
import { createEventStore } from '../../server/eventStoreFactory';
import { startGateway } from '../../server/gateway';
import { startTracingFromEnv } from '../../server/tracing';
import { fail, onStop, sendReady, taskInput } from '../lib/childRuntime';
import { benchGatewayConfig } from '../lib/gatewayConfig';

interface Input {
  readonly store: 'memory' | 'file';
  readonly dataDir?: string;
  readonly jwtSecret: string;
  readonly port?: number;
  readonly env?: Readonly<Record<string, string>>;
}

async function main(): Promise<void> {
  const input = taskInput<Input>();
  const config = benchGatewayConfig(input.jwtSecret, {
    PORT: String(input.port ?? 0),
    MUTATIONS_PER_MINUTE: '1000000',
    // The subscription bench holds up to 10,000 sockets from one client process and address.
    MAX_CONNECTIONS_PER_CLIENT: '1000000',
    MAX_CONNECTIONS_PER_ADDRESS: '1000000',
    ...(input.store === 'memory' ? { EMBEDDED_STORE: 'memory' } : { DATA_DIR: input.dataDir ?? '' }),
    ...input.env,
  });
  // As main.ts: off unless the process's OTEL_* variables switch it on (the tracing scenario sets them).
  const tracing = startTracingFromEnv();
  const store = createEventStore(config);
  const gateway = await startGateway({ config, store });
  onStop(async () => {
    await gateway.stop();
    await tracing?.shutdown();
  });
  sendReady({ url: gateway.url, filename: config.embeddedFilename });
}

main().catch(fail);
