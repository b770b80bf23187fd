/**
 * The configuration every benchmarked gateway starts from, as production runs it: NODE_ENV
 * production, on loopback, silent, no demo data, tokens signed with the bench's secret. `settings`
 * add the store and whatever the caller measures (they win). Settings a gateway version does not
 * know are ignored by its loadConfig.
 */
import { loadConfig, type GatewayConfig } from '../../server/config';

export function benchGatewayConfig(jwtSecret: string, settings: Readonly<Record<string, string>>): GatewayConfig {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SEED_DEMO_DATA: 'false',
    SHUTDOWN_GRACE_MS: '1000',
    NODE_ENV: 'production',
    JWT_SECRET: jwtSecret,
    ...settings,
  });
}
