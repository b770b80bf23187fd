/**
 * Rebuilds a running gateway's read model without downtime, with a progress bar:
 *   npm run rebuild                       # the local gateway, with a development admin token
 *   GATEWAY_URL=https://shop.example/graphql GATEWAY_TOKEN=… npm run rebuild
 */
import { loadConfig } from './config';
import { issueToken } from './tokens';

interface Rebuild {
  state: 'IDLE' | 'RUNNING' | 'COMPLETED' | 'FAILED';
  version: number;
  processedEvents: number;
  totalEvents: number;
  percent: number;
  error: string | null;
}

const FIELDS = 'state version processedEvents totalEvents percent error';

async function call(url: string, token: string, query: string): Promise<Rebuild> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { data?: Record<string, Rebuild>; errors?: Array<{ message: string }> };
  if (body.errors?.length || !body.data) throw new Error(body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`);
  return Object.values(body.data)[0]!;
}

function bar(rebuild: Rebuild, width = 40): string {
  const filled = Math.round((rebuild.percent / 100) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${rebuild.percent.toFixed(1).padStart(5)}%  ${rebuild.processedEvents}/${rebuild.totalEvents} events`;
}

async function main(): Promise<void> {
  const url = process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.PORT ?? 4000}/graphql`;
  let token = process.env.GATEWAY_TOKEN;
  if (!token) {
    const { auth } = loadConfig();
    if (!auth.jwtSecret) throw new Error('Set GATEWAY_TOKEN to an admin token');
    token = await issueToken(
      auth.jwtSecret,
      { role: 'admin', sub: 'rebuild-cli' },
      { expiresIn: '1h', issuer: auth.issuer, audience: auth.audience },
    );
  }
  let rebuild = await call(url, token, `mutation { rebuildProjections { ${FIELDS} } }`);
  const interactive = process.stdout.isTTY;
  while (rebuild.state === 'RUNNING') {
    process.stdout.write(interactive ? `\r${bar(rebuild)}` : `${bar(rebuild)}\n`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    rebuild = await call(url, token, `{ projectionRebuild { ${FIELDS} } }`);
  }
  process.stdout.write(`${interactive ? '\r' : ''}${bar(rebuild)}\n`);
  if (rebuild.state === 'FAILED') throw new Error(`The rebuild failed: ${rebuild.error ?? 'unknown error'}`);
  process.stdout.write(`Read model version ${rebuild.version} is live.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
