import { resolve } from 'node:path';

export interface GatewayConfig {
  readonly port: number;
  readonly host: string;
  /** Where the embedded store keeps its SQLite file. */
  readonly dataDir: string;
  /** `esdb://…` or `esdb+discover://…` selects EventStoreDB; absent selects the embedded store. */
  readonly eventStoreConnectionString: string | null;
  /** ':memory:' keeps the embedded store in memory (tests). */
  readonly embeddedFilename: string;
  readonly seedDemoData: boolean;
  readonly readYourWritesTimeoutMs: number;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** How long shutdown waits for open requests before closing their connections. */
  readonly shutdownGraceMs: number;
  /** The simulated payment provider declines charges above this (null: no limit). */
  readonly paymentDeclineAboveCents: number | null;
  readonly paymentLatencyMs: number;
  /** Available quantity below which an item counts as low on stock. */
  readonly lowStockThreshold: number;
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

export function loadConfig(env: Env = process.env): GatewayConfig {
  const dataDir = resolve(env.DATA_DIR ?? 'data');
  const connectionString = env.EVENTSTORE_CONNECTION_STRING?.trim() || null;
  if (connectionString !== null && !/^esdb(\+discover)?:\/\//.test(connectionString)) {
    throw new Error('EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover://');
  }
  const logLevel = (env.LOG_LEVEL ?? 'info') as GatewayConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: env.HOST ?? '127.0.0.1',
    dataDir,
    eventStoreConnectionString: connectionString,
    embeddedFilename: env.EMBEDDED_STORE === 'memory' ? ':memory:' : resolve(dataDir, 'events.sqlite'),
    seedDemoData: env.SEED_DEMO_DATA !== 'false',
    readYourWritesTimeoutMs: integer(env, 'READ_YOUR_WRITES_TIMEOUT_MS', 5000, 0, 60000),
    logLevel,
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 5000, 0, 120000),
    paymentDeclineAboveCents: env.PAYMENT_DECLINE_ABOVE_CENTS === 'none' ? null : integer(env, 'PAYMENT_DECLINE_ABOVE_CENTS', 100_000, 0, Number.MAX_SAFE_INTEGER),
    paymentLatencyMs: integer(env, 'PAYMENT_LATENCY_MS', 300, 0, 60000),
    lowStockThreshold: integer(env, 'LOW_STOCK_THRESHOLD', 5, 1, 1_000_000),
  };
}
