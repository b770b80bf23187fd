import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadConfig, secretWeakness } from './config';

const SECRET = 'a3f1c9e07b2d48e6915fc0d2b7a4e8c13d6f9a0b2c4e6f8a1b3d5c7e9f0a2b4c';
const base = { JWT_SECRET: SECRET, HOST: '127.0.0.1' };

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('configuration', () => {
  it.each(['Production', 'production ', 'prod', 'PRODUCTION', 'staging'])(
    'refuses NODE_ENV=%j instead of starting in development mode',
    (value) => {
      expect(problemsOf({ ...base, NODE_ENV: value })).toMatch(/NODE_ENV must be one of development, production, test/);
    },
  );

  it('accepts the known NODE_ENV values, development by default', () => {
    expect(loadConfig(base).nodeEnv).toBe('development');
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).production).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).production).toBe(true);
  });

  it('reports every problem at once, in one message', () => {
    const message = problemsOf({ ...base, PORT: 'eighty', MAX_DEPTH: '0', GRAPHIQL: 'yes', LOG_LEVEL: 'loud' });
    expect(message.split('\n')[0]).toBe('Invalid configuration:');
    for (const name of ['PORT', 'MAX_DEPTH', 'GRAPHIQL', 'LOG_LEVEL']) expect(message).toContain(`  - ${name} `);
  });

  it('reads booleans as true/false/1/0 and refuses anything else', () => {
    expect(loadConfig({ ...base, GRAPHIQL: '0', PROCESS_MANAGER: 'FALSE', GRAPHQL_INTROSPECTION: '1' })).toMatchObject({
      graphiql: false,
      runProcessManager: false,
      introspection: true,
    });
    expect(problemsOf({ ...base, PROCESS_MANAGER: 'no' })).toMatch(/PROCESS_MANAGER must be true, false, 1 or 0, got "no"/);
  });

  it('does not seed demo data in production unless asked', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).seedDemoData).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production', SEED_DEMO_DATA: 'true' }).seedDemoData).toBe(true);
    expect(loadConfig(base).seedDemoData).toBe(true);
  });

  it.each([
    ['short', 'short-secret-1234'],
    ['one character repeated', 'a'.repeat(48)],
    ['a word repeated', 'passwordpasswordpasswordpassword'],
    ['a short pattern repeated', '0123456789abcdef0123456789abcdef'],
    ['few distinct characters', 'abababababababababababababababababbbaaab'],
  ])('refuses a weak JWT_SECRET (%s)', (_what, secret) => {
    expect(problemsOf({ ...base, JWT_SECRET: secret })).toMatch(/JWT_SECRET (must be at least 32 characters|is too predictable)/);
    expect(secretWeakness(secret)).not.toBeNull();
  });

  it('accepts a random secret (openssl rand -hex 32)', () => {
    expect(secretWeakness(SECRET)).toBeNull();
    expect(loadConfig(base).auth.jwtSecret).toBe(SECRET);
  });

  it('refuses to run development mode on a non-loopback HOST unless told explicitly', () => {
    expect(problemsOf({ ...base, HOST: '0.0.0.0' })).toMatch(/HOST "0.0.0.0" is not a loopback address/);
    expect(problemsOf({ ...base, HOST: '192.168.1.10', NODE_ENV: 'test' })).toMatch(/ALLOW_NON_LOOPBACK_HOST=true/);
    expect(loadConfig({ ...base, HOST: '0.0.0.0', ALLOW_NON_LOOPBACK_HOST: 'true' }).host).toBe('0.0.0.0');
    expect(loadConfig({ ...base, HOST: '0.0.0.0', NODE_ENV: 'production' }).host).toBe('0.0.0.0');
    for (const host of ['127.0.0.1', '127.0.1.1', '::1', 'localhost']) expect(loadConfig({ ...base, HOST: host }).host).toBe(host);
  });

  it('reads CORS_ORIGINS as exact origins and refuses wildcards and paths', () => {
    expect(loadConfig({ ...base, CORS_ORIGINS: 'https://shop.example.com, http://localhost:3000' }).corsOrigins).toEqual([
      'https://shop.example.com',
      'http://localhost:3000',
    ]);
    expect(loadConfig(base).corsOrigins).toEqual([]);
    expect(problemsOf({ ...base, CORS_ORIGINS: '*' })).toMatch(/CORS_ORIGINS entry "\*"/);
    expect(problemsOf({ ...base, CORS_ORIGINS: 'https://shop.example.com/app' })).toMatch(/CORS_ORIGINS entry/);
  });

  it('serves /metrics in production only on its own port or behind a token', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).metrics).toMatchObject({ onApiPort: false, port: null });
    expect(loadConfig({ ...base, NODE_ENV: 'production', METRICS_TOKEN: 'a-metrics-token-of-length' }).metrics).toMatchObject({
      onApiPort: true,
    });
    expect(loadConfig({ ...base, NODE_ENV: 'production', METRICS_PORT: '9464' }).metrics).toMatchObject({ onApiPort: false, port: 9464 });
    expect(loadConfig(base).metrics.onApiPort).toBe(true);
  });

  it('creates the development secret in a DATA_DIR only its user can open', () => {
    const parent = mkdtempSync(join(tmpdir(), 'eventshop-config-'));
    try {
      const dataDir = join(parent, 'data');
      const config = loadConfig({ HOST: '127.0.0.1', DATA_DIR: dataDir });
      expect(config.devSecret).toBe(true);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, 'dev-jwt-secret')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
