/**
 * Development command: prints a bearer token for GraphiQL or curl.
 *   npm run token -- admin ops-1
 *   npm run token -- customer alice
 */
import { loadConfig } from './config';
import { issueToken } from './tokens';

async function main(): Promise<void> {
  const [role = 'admin', sub = role === 'admin' ? 'dev-admin' : 'alice', expiresIn = '12h'] = process.argv.slice(2);
  if (role !== 'admin' && role !== 'customer') throw new Error('role must be admin or customer');
  const config = loadConfig();
  if (!config.auth.jwtSecret) throw new Error('Tokens can be issued only with a shared secret (JWT_SECRET), not with a JWKS');
  const token = await issueToken(
    config.auth.jwtSecret,
    { role, sub },
    { expiresIn, issuer: config.auth.issuer, audience: config.auth.audience },
  );
  process.stdout.write(`${token}\n\nGraphiQL → Headers: {"Authorization": "Bearer ${token}"}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
