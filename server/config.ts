import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AuthSettings } from './tokens';

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
  /** NODE_ENV=production: introspection, GraphiQL and field suggestions off unless enabled; auth must be configured. */
  readonly production: boolean;
  readonly auth: AuthSettings;
  /** True when the secret was generated for development (GraphiQL then gets an admin token). */
  readonly devSecret: boolean;
  readonly introspection: boolean;
  readonly graphiql: boolean;
  readonly limits: GraphQLLimits;
  /** /ready fails while the projections are more than this many events behind `$all`. */
  readonly readyMaxLagEvents: number;
  /** Results kept by the event-invalidated response cache; 0 turns it off. */
  readonly responseCacheEntries: number;
  /**
   * Whether this instance runs the order-fulfilment process manager. Run it on every instance: one
   * acts at a time (it holds a lease in the event store), the others take over when it dies.
   */
  readonly runProcessManager: boolean;
  /**
   * How long the process manager's lease lasts without a renewal (renewed every third of it): after
   * its holder dies, another instance takes over within about this long.
   */
  readonly processManagerLeaseMs: number;
}

export interface GraphQLLimits {
  readonly maxBodyBytes: number;
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxTokens: number;
  readonly maxDirectives: number;
  readonly maxCost: number;
  readonly maxBatch: number;
  /** Mutations per client per minute (a token bucket with this many tokens). */
  readonly mutationsPerMinute: number;
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
  const production = env.NODE_ENV === 'production';
  const flag = (name: string, fallback: boolean) => (env[name] === undefined || env[name] === '' ? fallback : env[name] === 'true');
  const jwksUrl = env.JWT_JWKS_URL?.trim() || null;
  let jwtSecret = env.JWT_SECRET?.trim() || null;
  let devSecret = false;
  if (!jwtSecret && !jwksUrl) {
    if (production) throw new Error('In production set JWT_SECRET (HS256) or JWT_JWKS_URL');
    jwtSecret = developmentSecret(dataDir);
    devSecret = true;
  }
  if (jwtSecret !== null && jwtSecret.length < 16) throw new Error('JWT_SECRET must be at least 16 characters');
  return {
    production,
    auth: { jwtSecret, jwksUrl, issuer: env.JWT_ISSUER?.trim() || null, audience: env.JWT_AUDIENCE?.trim() || null },
    devSecret,
    introspection: flag('GRAPHQL_INTROSPECTION', !production),
    graphiql: flag('GRAPHIQL', !production),
    limits: {
      maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 100_000, 1_000, 50_000_000),
      maxDepth: integer(env, 'MAX_DEPTH', 10, 1, 100),
      maxAliases: integer(env, 'MAX_ALIASES', 15, 0, 1000),
      maxTokens: integer(env, 'MAX_TOKENS', 2_000, 10, 100_000),
      maxDirectives: integer(env, 'MAX_DIRECTIVES', 20, 0, 1000),
      maxCost: integer(env, 'MAX_COST', 5_000, 10, 1_000_000),
      maxBatch: integer(env, 'MAX_BATCH', 10, 1, 1000),
      mutationsPerMinute: integer(env, 'MUTATIONS_PER_MINUTE', 600, 1, 1_000_000),
    },
    readyMaxLagEvents: integer(env, 'READY_MAX_LAG_EVENTS', 1000, 0, 1_000_000),
    responseCacheEntries: integer(env, 'RESPONSE_CACHE_ENTRIES', 10_000, 0, 10_000_000),
    runProcessManager: flag('PROCESS_MANAGER', true),
    processManagerLeaseMs: integer(env, 'PROCESS_MANAGER_LEASE_MS', 5_000, 300, 600_000),
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

/** A per-installation secret for development, kept beside the data so issued tokens survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = resolve(dataDir, 'dev-jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
