/**
 * The deployment files (issue 11, findings 4 and 13). No Docker engine runs in CI, so the compose
 * file is parsed as YAML (with merge keys, as compose reads it) and checked for what makes it
 * safe, and the gateways' environment is run through the real loadConfig.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../server/config';

const DEPLOY = join(__dirname, '..', '..', 'deploy');
const ROOT = join(__dirname, '..', '..');

interface Service {
  image?: string;
  ports?: string[];
  networks?: string[];
  environment?: Record<string, string>;
  env_file?: string[];
}

const compose = parse(readFileSync(join(DEPLOY, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean } | null>;
};
const gateways = Object.entries(compose.services).filter(([name]) => name.startsWith('gateway'));

describe('docker-compose.yml', () => {
  it('publishes EventStoreDB nowhere and keeps it on internal networks only', () => {
    const eventstore = compose.services.eventstore!;
    expect(eventstore.ports).toBeUndefined();
    expect(eventstore.networks?.length).toBeGreaterThan(0);
    for (const network of eventstore.networks!) expect([network, compose.networks[network]?.internal]).toEqual([network, true]);
  });

  it('runs the gateways in production, with secrets from an env file and ports on loopback only', () => {
    expect(gateways.length).toBe(2);
    for (const [name, service] of gateways) {
      const environment = service.environment ?? {};
      expect([name, environment.NODE_ENV]).toEqual([name, 'production']);
      for (const forbidden of ['JWT_SECRET', 'GRAPHIQL', 'GRAPHQL_INTROSPECTION', 'SEED_DEMO_DATA', 'ALLOW_NON_LOOPBACK_HOST'])
        expect([name, forbidden in environment]).toEqual([name, false]);
      expect(service.env_file).toEqual(['gateway.env']);
      for (const port of service.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
      const config = loadConfig({
        ...environment,
        JWT_SECRET: 'c0ffee11d00d4b1e8a7f5e2c9b3d6a4f1e8c7b2a9d5f3e6c4b1a8d7e2f9c5b3a',
        HOST: '0.0.0.0',
      });
      expect([name, config.production, config.graphiql, config.introspection, config.seedDemoData, config.metrics.onApiPort]).toEqual([
        name,
        true,
        false,
        false,
        false,
        false,
      ]);
      expect(config.redisUrl).toMatch(/^redis:\/\//);
    }
  });

  it('ships an env file template with no secret in it, and git ignores the real one', () => {
    const template = readFileSync(join(DEPLOY, 'gateway.env.example'), 'utf8');
    expect(template).toMatch(/^JWT_SECRET=$/m);
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8')).toMatch(/^deploy\/gateway\.env$/m);
  });
});

describe('the image', () => {
  it('builds from a context without node_modules, data/ (the dev secret), .git or env files', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    for (const pattern of ['.git', 'node_modules', 'data', '**/*.env', '.env']) expect(ignored).toContain(pattern);
  });

  it('gives /data to the image’s user before switching to it, and runs in production mode', () => {
    const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/ENV NODE_ENV=production/);
    const chown = runtime.search(/chown node:node \/data/);
    const user = runtime.search(/^USER node$/m);
    expect(chown).toBeGreaterThan(-1);
    expect(user).toBeGreaterThan(chown);
  });
});
