/**
 * The gateway's settings, read from the environment and validated at start with zod: every
 * problem is reported at once, in one message, before anything listens or opens the store.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { AuthSettings } from './tokens';

export type NodeEnvironment = 'development' | 'production' | 'test';

export interface GatewayConfig {
  /**
   * The variables the settings were read from: a capability reads and validates its own settings
   * from them (server/capabilities/<name>.ts), so adding one needs no edit here.
   */
  readonly environment: Readonly<Env>;
  readonly port: number;
  readonly host: string;
  /** Where the embedded store keeps its SQLite file (created 0700; the file and its WAL 0600). */
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
  readonly nodeEnv: NodeEnvironment;
  /** NODE_ENV=production: introspection, GraphiQL and field suggestions off unless enabled; auth must be configured. */
  readonly production: boolean;
  readonly auth: AuthSettings;
  /**
   * True when the secret was generated for development: GraphiQL and /timeline then get an admin
   * token, but only for requests to a loopback Host from the gateway's own origin (devAccess.ts).
   */
  readonly devSecret: boolean;
  readonly introspection: boolean;
  readonly graphiql: boolean;
  /** Origins allowed to read responses cross-origin (CORS). Empty: same-origin only. */
  readonly corsOrigins: readonly string[];
  readonly metrics: MetricsSettings;
  /** A shared Redis for the mutation rate limit (so instances share one limit); null: per process. */
  readonly redisUrl: string | null;
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

export interface MetricsSettings {
  /** Serve /metrics on this port (on HOST) instead of the API port. */
  readonly port: number | null;
  /** Require `Authorization: Bearer <token>` for /metrics. */
  readonly token: string | null;
  /** Whether /metrics is served on the API port at all (development, or production with a token). */
  readonly onApiPort: boolean;
  /** Distinct operation names that get their own label value; later ones count as "other". */
  readonly maxOperationNames: number;
}

export interface GraphQLLimits {
  readonly maxBodyBytes: number;
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxTokens: number;
  readonly maxDirectives: number;
  readonly maxCost: number;
  readonly maxBatch: number;
  /** Mutation fields executed per client per minute. */
  readonly mutationsPerMinute: number;
  /** Open WebSocket connections per client (its token's subject, or its address when anonymous). */
  readonly maxConnectionsPerClient: number;
  /** Open WebSocket connections per network address, checked before the handshake. */
  readonly maxConnectionsPerAddress: number;
  /** Operations in flight on one WebSocket. */
  readonly maxSubscriptionsPerSocket: number;
  /** Bytes waiting unsent for one WebSocket client before its socket is closed (it does not read). */
  readonly maxSocketBufferBytes: number;
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
const NODE_ENVIRONMENTS = ['development', 'production', 'test'] as const;

/** Unset and empty both mean "use the default". */
const unset = (value: string | undefined): value is undefined => value === undefined || value.trim() === '';

const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (unset(raw)) return fallback;
      const value = Number(raw.trim());
      if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}, got "${raw}"` });
        return z.NEVER;
      }
      return value;
    });

const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, '1': true, false: false, '0': false };

/** true/false/1/0 (any case); anything else is an error rather than silently false. */
const flag = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    if (unset(raw)) return undefined;
    const value = BOOLEANS[raw.trim().toLowerCase()];
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be true, false, 1 or 0, got "${raw}"` });
      return z.NEVER;
    }
    return value;
  });

const text = z
  .string()
  .optional()
  .transform((raw) => (unset(raw) ? null : raw.trim()));

const oneOf = <T extends string>(values: readonly [T, ...T[]], fallback: T) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      if (!(values as readonly string[]).includes(raw)) {
        ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')} (exactly), got "${raw}"` });
        return z.NEVER;
      }
      return raw as T;
    });

const ENV_SCHEMA = z.object({
  NODE_ENV: oneOf(NODE_ENVIRONMENTS as unknown as [NodeEnvironment, ...NodeEnvironment[]], 'development'),
  PORT: integer(4000, 0, 65535),
  HOST: text,
  ALLOW_NON_LOOPBACK_HOST: flag,
  DATA_DIR: text,
  EMBEDDED_STORE: z
    .enum(['file', 'memory'])
    .optional()
    .or(z.literal('').transform(() => undefined)),
  EVENTSTORE_CONNECTION_STRING: text.refine(
    (value) => value === null || /^esdb(\+discover)?:\/\//.test(value),
    'must start with esdb:// or esdb+discover://',
  ),
  LOG_LEVEL: oneOf([...LOG_LEVELS], 'info'),
  JWT_SECRET: text,
  JWT_JWKS_URL: text.refine((value) => value === null || /^https?:\/\//.test(value), 'must be an http(s) URL'),
  JWT_ISSUER: text,
  JWT_AUDIENCE: text,
  GRAPHQL_INTROSPECTION: flag,
  GRAPHIQL: flag,
  CORS_ORIGINS: text,
  METRICS_PORT: integer(-1, 0, 65535),
  METRICS_TOKEN: text.refine((value) => value === null || value.length >= 16, 'must be at least 16 characters'),
  METRICS_MAX_OPERATION_NAMES: integer(100, 0, 10_000),
  REDIS_URL: text.refine((value) => value === null || /^rediss?:\/\//.test(value), 'must start with redis:// or rediss://'),
  MAX_BODY_BYTES: integer(100_000, 1_000, 50_000_000),
  MAX_DEPTH: integer(10, 1, 100),
  MAX_ALIASES: integer(15, 0, 1000),
  MAX_TOKENS: integer(2_000, 10, 100_000),
  MAX_DIRECTIVES: integer(20, 0, 1000),
  MAX_COST: integer(5_000, 10, 1_000_000),
  MAX_BATCH: integer(10, 1, 1000),
  MUTATIONS_PER_MINUTE: integer(600, 1, 1_000_000),
  MAX_CONNECTIONS_PER_CLIENT: integer(32, 1, 1_000_000),
  MAX_CONNECTIONS_PER_ADDRESS: integer(256, 1, 1_000_000),
  MAX_SUBSCRIPTIONS_PER_SOCKET: integer(100, 1, 100_000),
  MAX_SOCKET_BUFFER_BYTES: integer(4 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
  READY_MAX_LAG_EVENTS: integer(1000, 0, 1_000_000),
  RESPONSE_CACHE_ENTRIES: integer(10_000, 0, 10_000_000),
  PROCESS_MANAGER: flag,
  PROCESS_MANAGER_LEASE_MS: integer(5_000, 300, 600_000),
  SEED_DEMO_DATA: flag,
  READ_YOUR_WRITES_TIMEOUT_MS: integer(5000, 0, 60000),
  SHUTDOWN_GRACE_MS: integer(5000, 0, 120000),
  PAYMENT_DECLINE_ABOVE_CENTS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw?.trim() === 'none') return null;
      const parsed = integer(100_000, 0, Number.MAX_SAFE_INTEGER).safeParse(raw);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: 'custom', message: `must be a whole number of cents or "none", got "${raw}"` });
      return z.NEVER;
    }),
  PAYMENT_LATENCY_MS: integer(300, 0, 60000),
  LOW_STOCK_THRESHOLD: integer(5, 1, 1_000_000),
});

/** Thrown for any invalid setting; its message lists every problem, one per line. */
export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

export function loadConfig(env: Env = process.env): GatewayConfig {
  const parsed = ENV_SCHEMA.safeParse(Object.fromEntries(Object.keys(ENV_SCHEMA.shape).map((name) => [name, env[name]])));
  if (!parsed.success) {
    throw new ConfigurationError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  const settings = parsed.data;
  const problems: string[] = [];
  const nodeEnv = settings.NODE_ENV;
  const production = nodeEnv === 'production';
  const host = settings.HOST ?? '127.0.0.1';
  if (!production && !isLoopbackHost(host) && settings.ALLOW_NON_LOOPBACK_HOST !== true) {
    problems.push(
      `HOST "${host}" is not a loopback address: development mode (NODE_ENV=${nodeEnv}) generates an admin token for GraphiQL and is meant for this machine only. Set NODE_ENV=production, or ALLOW_NON_LOOPBACK_HOST=true if you really mean to expose a development gateway`,
    );
  }
  const dataDir = resolve(settings.DATA_DIR ?? 'data');
  const jwksUrl = settings.JWT_JWKS_URL;
  let jwtSecret = settings.JWT_SECRET;
  if (jwtSecret !== null) {
    const weakness = secretWeakness(jwtSecret);
    if (weakness) problems.push(`JWT_SECRET ${weakness}`);
  }
  if (production && jwtSecret === null && jwksUrl === null) problems.push('JWT_SECRET (HS256) or JWT_JWKS_URL must be set in production');
  const corsOrigins: string[] = [];
  for (const origin of (settings.CORS_ORIGINS ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean)) {
    const normalised = normaliseOrigin(origin);
    if (normalised === null)
      problems.push(`CORS_ORIGINS entry "${origin}" is not an origin like https://shop.example.com (no path, no wildcard)`);
    else corsOrigins.push(normalised);
  }
  const metricsPort = settings.METRICS_PORT === -1 ? null : settings.METRICS_PORT;
  if (metricsPort !== null && metricsPort !== 0 && metricsPort === settings.PORT) problems.push('METRICS_PORT must differ from PORT');
  if (problems.length > 0) throw new ConfigurationError(problems);

  let devSecret = false;
  if (jwtSecret === null && jwksUrl === null) {
    jwtSecret = developmentSecret(dataDir);
    devSecret = true;
  }
  return {
    environment: Object.freeze({ ...env }),
    nodeEnv,
    production,
    auth: { jwtSecret, jwksUrl, issuer: settings.JWT_ISSUER, audience: settings.JWT_AUDIENCE },
    devSecret,
    introspection: settings.GRAPHQL_INTROSPECTION ?? !production,
    graphiql: settings.GRAPHIQL ?? !production,
    corsOrigins,
    metrics: {
      port: metricsPort,
      token: settings.METRICS_TOKEN,
      // In production the API port serves /metrics only behind a token; without one, only METRICS_PORT does.
      onApiPort: metricsPort === null && (!production || settings.METRICS_TOKEN !== null),
      maxOperationNames: settings.METRICS_MAX_OPERATION_NAMES,
    },
    redisUrl: settings.REDIS_URL,
    limits: {
      maxBodyBytes: settings.MAX_BODY_BYTES,
      maxDepth: settings.MAX_DEPTH,
      maxAliases: settings.MAX_ALIASES,
      maxTokens: settings.MAX_TOKENS,
      maxDirectives: settings.MAX_DIRECTIVES,
      maxCost: settings.MAX_COST,
      maxBatch: settings.MAX_BATCH,
      mutationsPerMinute: settings.MUTATIONS_PER_MINUTE,
      maxConnectionsPerClient: settings.MAX_CONNECTIONS_PER_CLIENT,
      maxConnectionsPerAddress: settings.MAX_CONNECTIONS_PER_ADDRESS,
      maxSubscriptionsPerSocket: settings.MAX_SUBSCRIPTIONS_PER_SOCKET,
      maxSocketBufferBytes: settings.MAX_SOCKET_BUFFER_BYTES,
    },
    readyMaxLagEvents: settings.READY_MAX_LAG_EVENTS,
    responseCacheEntries: settings.RESPONSE_CACHE_ENTRIES,
    runProcessManager: settings.PROCESS_MANAGER ?? true,
    processManagerLeaseMs: settings.PROCESS_MANAGER_LEASE_MS,
    port: settings.PORT,
    host,
    dataDir,
    eventStoreConnectionString: settings.EVENTSTORE_CONNECTION_STRING,
    embeddedFilename: settings.EMBEDDED_STORE === 'memory' ? ':memory:' : resolve(dataDir, 'events.sqlite'),
    // Demo data is for trying the gateway out: never written into a production store unless asked.
    seedDemoData: settings.SEED_DEMO_DATA ?? !production,
    readYourWritesTimeoutMs: settings.READ_YOUR_WRITES_TIMEOUT_MS,
    logLevel: settings.LOG_LEVEL,
    shutdownGraceMs: settings.SHUTDOWN_GRACE_MS,
    paymentDeclineAboveCents: settings.PAYMENT_DECLINE_ABOVE_CENTS,
    paymentLatencyMs: settings.PAYMENT_LATENCY_MS,
    lowStockThreshold: settings.LOW_STOCK_THRESHOLD,
  };
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(bare);
  return false;
}

function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.pathname !== '/' ||
      url.search ||
      url.hash ||
      url.username ||
      value.includes('*')
    )
      return null;
    if (value.replace(/\/$/, '') !== url.origin) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * Why an HS256 secret is too weak to sign admin tokens, or null. A guessable secret lets anyone
 * mint tokens offline, so: at least 32 characters (256 bits for a random hex or base64 string),
 * not a short pattern repeated, and enough variety (an estimate: a password-like or repetitive
 * string fails, `openssl rand -hex 32` passes).
 */
export function secretWeakness(secret: string): string | null {
  if (secret.length < 32) return `must be at least 32 characters (got ${secret.length}); generate one with: openssl rand -hex 32`;
  const counts = new Map<string, number>();
  for (const char of secret) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const count of counts.values()) {
    const p = count / secret.length;
    bitsPerChar -= p * Math.log2(p);
  }
  const repeated = /^(.+?)\1+$/.test(secret);
  if (repeated || counts.size < 10 || bitsPerChar * secret.length < 90) {
    return 'is too predictable (repeated or low-variety characters); generate one with: openssl rand -hex 32';
  }
  return null;
}

/** A per-installation secret for development, kept beside the data so issued tokens survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = resolve(dataDir, 'dev-jwt-secret');
  ensurePrivateDirectory(dataDir);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** DATA_DIR holds the event log and secrets: only the gateway's user may list or read it. */
export function ensurePrivateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}
