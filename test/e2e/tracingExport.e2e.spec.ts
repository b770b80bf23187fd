/**
 * The OTLP exporter as an operator switches it on: the real gateway process (server/main.ts) started
 * with the standard OTEL_* variables only, sending its spans over OTLP/HTTP to a small local
 * collector (a real HTTP listener on an ephemeral port that keeps what it receives), on every backend.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backends } from '../support/backends';
import { graphql } from '../support/gatewayHarness';
import { spawnGatewayProcess, type GatewayProcess } from '../support/gatewayProcess';

interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
}

interface OtlpExport {
  readonly resourceSpans: Array<{
    readonly resource: { readonly attributes: Array<{ readonly key: string; readonly value: { readonly stringValue?: string } }> };
    readonly scopeSpans: Array<{ readonly spans: OtlpSpan[] }>;
  }>;
}

/** Accepts OTLP/HTTP JSON trace exports on /v1/traces and keeps them, with the path and content type they came with. */
async function startCollector(): Promise<{
  server: Server;
  url: string;
  received: Array<{ path: string; contentType: string; body: OtlpExport }>;
}> {
  const received: Array<{ path: string; contentType: string; body: OtlpExport }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        contentType: request.headers['content-type'] ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport,
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe.each(backends)('tracing to an OTLP/HTTP collector ($name store)', (backend) => {
  let gateway: GatewayProcess | undefined;
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let dispose: () => Promise<void>;
  let env: Record<string, string>;

  beforeEach(async () => {
    collector = await startCollector();
    let store;
    ({ store, dispose, env } = await backend.create());
    // The child process opens the store itself.
    await store.close();
  });
  afterEach(async () => {
    await gateway?.kill();
    gateway = undefined;
    await dispose();
    await new Promise((resolve) => collector.server.close(resolve));
  });

  it('sends the GraphQL and command spans of a mutation, named by OTEL_SERVICE_NAME, when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    gateway = await spawnGatewayProcess({
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SERVICE_NAME: 'eventshop-otlp-test',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    const created = await graphql(
      gateway.url,
      `
        mutation CreateTracedItem {
          createInventoryItem(input: { sku: "OTLP-1", name: "Traced" }) {
            revision
          }
        }
      `,
    );
    expect(created.errors).toBeUndefined();

    const deadline = Date.now() + 15_000;
    let spans: OtlpSpan[] = [];
    while (Date.now() < deadline) {
      spans = collector.received.flatMap(({ body }) => body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
      if (spans.some((span) => span.name === 'command CreateInventoryItem') && spans.some((s) => s.name === 'mutation.CreateTracedItem'))
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const mutation = spans.find((span) => span.name === 'mutation.CreateTracedItem');
    const command = spans.find((span) => span.name === 'command CreateInventoryItem');
    expect(mutation).toBeDefined();
    expect(command).toMatchObject({ traceId: mutation!.traceId, parentSpanId: mutation!.spanId });
    expect(spans.find((span) => span.name === 'append inventoryItem')).toMatchObject({
      traceId: mutation!.traceId,
      parentSpanId: command!.spanId,
    });

    expect(collector.received.every(({ path, contentType }) => path === '/v1/traces' && contentType.startsWith('application/json'))).toBe(
      true,
    );
    const serviceNames = collector.received.flatMap(({ body }) =>
      body.resourceSpans.map((r) => r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue),
    );
    expect(new Set(serviceNames)).toEqual(new Set(['eventshop-otlp-test']));
  });

  it('sends nothing when OTEL_SDK_DISABLED=true, whatever else is set', async () => {
    gateway = await spawnGatewayProcess({
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SDK_DISABLED: 'true',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    const created = await graphql(
      gateway.url,
      `
        mutation {
          createInventoryItem(input: { sku: "OTLP-2", name: "Untraced" }) {
            revision
          }
        }
      `,
    );
    expect(created.errors).toBeUndefined();
    // A graceful stop flushes whatever a provider would hold: nothing may arrive even then.
    await gateway.kill('SIGTERM');
    expect(collector.received).toEqual([]);
  });
});
