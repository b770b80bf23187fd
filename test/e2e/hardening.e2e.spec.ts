/**
 * Issue 11 over real sockets, on both event stores: the development token only for this machine's
 * own pages (finding 2), CORS as an allowlist (8), bounded metrics labels and a private /metrics
 * in production (3, 7), an honest subscription gauge (15; issue 15 item 5), a rate limit that
 * counts every mutation field executed (5), caps on connections and subscriptions (6), bounded
 * logs with client mistakes below error (12), and the mainstream clients' defaults (interop).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { GraphQLClient } from 'graphql-request';
import WebSocket from 'ws';
import type { EventStore } from '../../eventStore/port';
import type { Gateway } from '../../server/gateway';
import { backends } from '../support/backends';
import { createItem, graphql, sseClient, startTestGateway, take, testAdminToken, tokenFor, wsClient } from '../support/gatewayHarness';
import { waitFor } from '../support/waitFor';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http, because fetch will not send a Host header of our choosing. */
function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

const origin = (gateway: Gateway) => gateway.url.replace('/graphql', '');
const metricsText = async (url: string, headers: Record<string, string> = {}) => (await fetch(url, { headers })).text();
const gaugeOf = (text: string) => Number(/^graphql_subscriptions_open (\S+)$/m.exec(text)?.[1]);

describe.each(backends)('hardening ($name)', (backend) => {
  const running: Array<{ gateway: Gateway; dispose: () => Promise<void> }> = [];
  const scratch: string[] = [];

  async function start(env: Record<string, string> = {}, log?: (line: string) => void): Promise<{ gateway: Gateway; store: EventStore }> {
    const { store, dispose } = await backend.create();
    const gateway = await startTestGateway(store, { PAYMENT_LATENCY_MS: '5', ...env }, log);
    running.push({ gateway, dispose });
    return { gateway, store };
  }

  /** A development gateway: no JWT_SECRET, so it generates one and hands out the dev token. */
  async function startDevelopment(env: Record<string, string> = {}) {
    const dataDir = mkdtempSync(join(tmpdir(), 'eventshop-dev-'));
    scratch.push(dataDir);
    return start({ JWT_SECRET: '', DATA_DIR: dataDir, ...env });
  }

  afterEach(async () => {
    for (const { gateway, dispose } of running.splice(0)) {
      await gateway.stop();
      await dispose();
    }
    for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  describe('the development token (finding 2)', () => {
    it('goes to GraphiQL and /timeline on a loopback Host, from no Origin or the gateway’s own', async () => {
      const { gateway } = await startDevelopment();
      const own = origin(gateway);
      for (const headers of [{ accept: 'text/html' }, { accept: 'text/html', origin: own }] as Array<Record<string, string>>) {
        const page = await rawRequest(gateway.url, { headers });
        const token = /Bearer (ey[\w-]+\.[\w-]+\.[\w-]+)/.exec(page.body)?.[1];
        expect(token).toBeDefined();
        // It expires, like every token the gateway accepts.
        expect(decodeJwt(token!).exp).toEqual(expect.any(Number));
      }
      expect((await rawRequest(`${own}/timeline`)).body).toContain('eventshop-dev-token');
    });

    it('is not given to another site, nor to a request whose Host is not loopback (DNS rebinding)', async () => {
      const { gateway } = await startDevelopment();
      const port = new URL(gateway.url).port;
      const cases: Array<Record<string, string>> = [
        { accept: 'text/html', origin: 'https://evil.example' },
        { accept: 'text/html', origin: 'null' },
        { accept: 'text/html', host: `evil.example:${port}` },
        { accept: 'text/html', host: `rebound.attacker.example:${port}`, origin: `http://rebound.attacker.example:${port}` },
      ];
      for (const headers of cases) {
        const page = await rawRequest(gateway.url, { headers });
        expect([headers, page.status, /Bearer ey/.test(page.body)]).toEqual([headers, 200, false]);
        expect(page.headers['access-control-allow-origin']).toBeUndefined();
        const timeline = await rawRequest(`${origin(gateway)}/timeline`, { headers });
        expect([headers, timeline.body.includes('eventshop-dev-token')]).toEqual([headers, false]);
      }
    });
  });

  describe('CORS (finding 8)', () => {
    it('answers no other origin, in development or production, and never with credentials', async () => {
      for (const env of [{}, { NODE_ENV: 'production' }] as Array<Record<string, string>>) {
        const { gateway } = await start(env);
        const simple = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
          body: JSON.stringify({ query: '{ status { caughtUp } }' }),
        });
        expect(simple.headers.get('access-control-allow-origin')).toBeNull();
        expect(simple.headers.get('access-control-allow-credentials')).toBeNull();
        const preflight = await fetch(gateway.url, {
          method: 'OPTIONS',
          headers: {
            origin: 'https://evil.example',
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization, content-type',
          },
        });
        expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      }
    });

    it('answers an allowlisted origin with itself, without credentials', async () => {
      const { gateway } = await start({ CORS_ORIGINS: 'https://shop.example, https://admin.shop.example' });
      const preflight = await fetch(gateway.url, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://admin.shop.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://admin.shop.example');
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      expect(preflight.headers.get('vary')).toMatch(/Origin/);
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
      const other = await fetch(gateway.url, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example.evil', 'access-control-request-method': 'POST' },
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('metrics (findings 3, 7, 15)', () => {
    it('keeps operation-name labels to a fixed budget of short names, the rest as "other"', async () => {
      const { gateway } = await start({ METRICS_MAX_OPERATION_NAMES: '5' });
      for (let i = 0; i < 120; i += 1) {
        await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `query Q${i}_${'x'.repeat(2_000)} { __typename }` }),
        });
      }
      for (let i = 0; i < 10; i += 1) await graphql(gateway.url, `query Short${i} { __typename }`);
      const text = await metricsText(`${origin(gateway)}/metrics`);
      const names = new Set([...text.matchAll(/graphql_operations_total\{[^}]*name="([^"]*)"/g)].map((match) => match[1]));
      expect([...names].sort()).toEqual(['Short0', 'Short1', 'Short2', 'Short3', 'Short4', 'other']);
      expect(text).toContain('graphql_operations_total{type="query",name="other",outcome="ok"} 125');
      expect(text.length).toBeLessThan(100_000);
    });

    it('serves /metrics in production only behind METRICS_TOKEN on the API port, or on METRICS_PORT', async () => {
      const closed = (await start({ NODE_ENV: 'production' })).gateway;
      expect((await fetch(`${origin(closed)}/metrics`)).status).toBe(404);

      const tokened = (await start({ NODE_ENV: 'production', METRICS_TOKEN: 'scrape-token-0123456789' })).gateway;
      expect((await fetch(`${origin(tokened)}/metrics`)).status).toBe(401);
      expect((await fetch(`${origin(tokened)}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      expect(await metricsText(`${origin(tokened)}/metrics`, { authorization: 'Bearer scrape-token-0123456789' })).toContain(
        'graphql_subscriptions_open',
      );

      const apart = (await start({ NODE_ENV: 'production', METRICS_PORT: '0' })).gateway;
      expect(apart.metricsPort).toEqual(expect.any(Number));
      expect((await fetch(`${origin(apart)}/metrics`)).status).toBe(404);
      expect(await metricsText(`http://127.0.0.1:${apart.metricsPort}/metrics`)).toContain('graphql_subscriptions_open');
    });

    it('counts only subscriptions that started, and counts them down when their socket or stream goes away', async () => {
      const { gateway } = await start();
      const metrics = `${origin(gateway)}/metrics`;
      const client = wsClient(gateway.url);
      for (const after of ['abc', '-1', 'xyz']) {
        const [refused] = await take(client.iterate({ query: `subscription { events(after: "${after}") { id } }` }), 1).catch(
          (errors: unknown) => [{ errors }],
        );
        expect(JSON.stringify(refused)).toContain('BAD_USER_INPUT');
      }
      expect(gaugeOf(await metricsText(metrics))).toBe(0);

      const live = client.iterate({ query: 'subscription { inventoryItemChanges { eventType } }' });
      void live.next().catch(() => undefined);
      await waitFor(async () => gaugeOf(await metricsText(metrics)) === 1);
      const sse = sseClient(gateway.url);
      const stopSse = sse.subscribe(
        { query: 'subscription { inventoryItemChanges { eventType } }' },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
      await waitFor(async () => gaugeOf(await metricsText(metrics)) === 2);
      // The socket goes away without completing its subscription; the SSE client stops.
      await client.dispose();
      stopSse();
      sse.dispose();
      await waitFor(async () => gaugeOf(await metricsText(metrics)) === 0);
      expect(await metricsText(metrics)).toContain('websocket_connections_open 0');
    });
  });

  describe('the mutation rate limit (finding 5)', () => {
    it('counts every mutation field executed: inline and named fragments, aliases, batches and WebSocket', async () => {
      const { gateway, store } = await start({ MUTATIONS_PER_MINUTE: '20' });
      const { item } = await createItem(gateway.url, 'RATE-FIELDS', 'Rate limited', { unitPriceCents: 100 });
      await graphql(
        gateway.url,
        `
          mutation ($id: ID!) {
            checkInItems(input: { id: $id, count: 1000 }) {
              revision
            }
          }
        `,
        { id: item.id },
        { authorization: `Bearer ${await tokenFor('admin', 'stocker')}` },
      );
      const customer = { authorization: `Bearer ${await tokenFor('customer', 'rate-customer')}` };
      const place = (alias: string) =>
        `${alias}: placeOrder(input: { paymentMethodToken: "tok_visa", lines: [{ itemId: "${item.id}", quantity: 1 }] }) { revision }`;
      const aliases = (count: number) => Array.from({ length: count }, (_, i) => place(`a${i}`)).join(' ');
      const placed = async () => (await store.readAll()).filter((event) => event.type === 'OrderPlaced').length;

      const inline = await graphql(gateway.url, `mutation { ... on Mutation { ${aliases(15)} } }`, undefined, customer);
      expect(inline.errors).toBeUndefined();
      expect(await placed()).toBe(15);

      const named = await graphql(
        gateway.url,
        `mutation { ...Orders } fragment Orders on Mutation { ${aliases(15)} }`,
        undefined,
        customer,
      );
      expect(named.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
      expect(await placed()).toBe(15);

      const batch = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...customer },
        body: JSON.stringify([{ query: `mutation { ${aliases(5)} }` }, { query: `mutation { ${place('one')} }` }]),
      });
      const [first, second] = (await batch.json()) as Array<{ errors?: Array<{ extensions?: { code?: string } }> }>;
      expect(first?.errors).toBeUndefined();
      expect(second?.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(await placed()).toBe(20);

      const ws = wsClient(gateway.url, await tokenFor('customer', 'rate-customer'));
      const [overWs] = await take(ws.iterate({ query: `mutation { ${place('ws')} }` }), 1);
      expect(overWs?.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      await ws.dispose();
      expect(await placed()).toBe(20);
    });
  });

  describe('connection and subscription caps (finding 6)', () => {
    it('refuses a subscription over the per-socket cap with a coded error and keeps the socket and its other subscriptions', async () => {
      const { gateway } = await start({ MAX_SUBSCRIPTIONS_PER_SOCKET: '3' });
      const client = wsClient(gateway.url);
      try {
        const open = Array.from({ length: 3 }, () =>
          client.iterate<{ inventoryItemChanges: { item: { sku: string } } }>({
            query: 'subscription { inventoryItemChanges { item { sku } } }',
          }),
        );
        const pending = open.map((iterator) => take(iterator, 1));
        await new Promise((resolve) => setTimeout(resolve, 300));
        const refused = await take(client.iterate({ query: 'subscription { inventoryItemChanges { eventType } }' }), 1).catch(
          (errors: unknown) => [{ errors }],
        );
        expect(JSON.stringify(refused)).toContain('TOO_MANY_SUBSCRIPTIONS');
        await createItem(gateway.url, 'CAP-SUBS');
        for (const values of await Promise.all(pending)) expect(values[0]?.data?.inventoryItemChanges.item.sku).toBe('CAP-SUBS');
      } finally {
        await client.dispose();
      }
    });

    it('closes a connection over the per-client cap with 4430 and a reason, for a token subject and for an anonymous address', async () => {
      const { gateway } = await start({ MAX_CONNECTIONS_PER_CLIENT: '2' });
      const query = { query: '{ status { caughtUp } }' };
      for (const token of [await testAdminToken(), null]) {
        const first = wsClient(gateway.url, token);
        const second = wsClient(gateway.url, token);
        const subscriptions = [first, second].map((client) =>
          client.iterate({ query: 'subscription { inventoryItemChanges { eventType } }' }),
        );
        subscriptions.forEach((subscription) => void subscription.next().catch(() => undefined));
        await new Promise((resolve) => setTimeout(resolve, 300));
        const third = wsClient(gateway.url, token);
        await expect(take(third.iterate(query), 1)).rejects.toMatchObject({
          code: 4430,
          reason: 'Too many connections for this client: close some and retry later',
        });
        await third.dispose();
        // Another client is not affected; once one closes, this one may connect again.
        const other = wsClient(gateway.url, await tokenFor('customer', 'someone-else'));
        expect((await take(other.iterate(query), 1))[0]?.errors).toBeUndefined();
        await other.dispose();
        await first.dispose();
        await new Promise((resolve) => setTimeout(resolve, 100));
        const again = wsClient(gateway.url, token);
        expect((await take(again.iterate(query), 1))[0]?.errors).toBeUndefined();
        await Promise.all([again.dispose(), second.dispose()]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });

    it('closes a socket over the per-address cap before its handshake', async () => {
      const { gateway } = await start({ MAX_CONNECTIONS_PER_ADDRESS: '3' });
      const url = gateway.url.replace(/^http/, 'ws');
      const open = (): Promise<{ socket: WebSocket; closed: Promise<{ code: number; reason: string }> }> =>
        new Promise((resolve) => {
          const socket = new WebSocket(url, 'graphql-transport-ws');
          const closed = new Promise<{ code: number; reason: string }>((done) =>
            socket.on('close', (code, reason) => done({ code, reason: reason.toString() })),
          );
          socket.once('open', () => resolve({ socket, closed }));
        });
      const held = [await open(), await open(), await open()];
      const fourth = await open();
      expect(await fourth.closed).toEqual({ code: 4430, reason: 'Too many connections for this client: close some and retry later' });
      held[0]!.socket.close();
      await held[0]!.closed;
      const fifth = await open();
      expect(fifth.socket.readyState).toBe(WebSocket.OPEN);
      for (const { socket } of [...held.slice(1), fifth]) socket.close();
    });
  });

  describe('logs (finding 12)', () => {
    it('keeps lines bounded whatever the client sends, and logs client mistakes below error', async () => {
      const lines: string[] = [];
      const { gateway } = await start({ LOG_LEVEL: 'debug' }, (line) => lines.push(line));
      const hugeName = `Q${'n'.repeat(50_000)}`;
      await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `query ${hugeName} { nope }` }),
      });
      await graphql(gateway.url, `mutation ${hugeName} { checkInItems(input: { id: "missing", count: 1 }) { revision } }`);
      await graphql(gateway.url, '{ inventoryItems(after: "not-a-cursor") { totalCount } }');
      await graphql(gateway.url, '{ events(after: "not-a-cursor") { totalCount } }');
      await graphql(gateway.url, '{ inventoryItems(first: 100000) { totalCount } }');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThan(5_000);
      const errors = lines.map((line) => JSON.parse(line) as { level: string; message: string }).filter((line) => line.level === 'error');
      expect(errors).toEqual([]);
      // Every line of one request carries its correlation id (a child logger per request).
      const operation = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line.message === 'graphql operation');
      expect(operation?.correlationId).toEqual(expect.any(String));
    });
  });

  describe('interoperability: the mainstream clients’ defaults', () => {
    it('serves urql’s default GET for queries (its exact query parameters and Accept header), still refusing a mutation over GET', async () => {
      const { gateway } = await start();
      const accept = 'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed';
      const params = new URLSearchParams({
        query: 'query Catalogue($first: Int) { inventoryItems(first: $first) { totalCount } }',
        operationName: 'Catalogue',
        variables: JSON.stringify({ first: 5 }),
      });
      const answer = await fetch(`${gateway.url}?${params}`, { headers: { accept } });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ data: { inventoryItems: { totalCount: 0 } } });
      const write = await fetch(
        `${gateway.url}?${new URLSearchParams({ query: 'mutation { createInventoryItem(input: { sku: "GET-WRITE", name: "x" }) { revision } }' })}`,
        { headers: { accept, authorization: `Bearer ${await testAdminToken()}` } },
      );
      expect(write.status).toBe(405);
    });

    it('serves Apollo Client’s default POST (its headers), graphql-request and a form post only with a preflight header', async () => {
      const { gateway } = await start();
      const apollo = await fetch(gateway.url, {
        method: 'POST',
        headers: { accept: 'application/graphql-response+json,application/json;q=0.9', 'content-type': 'application/json' },
        body: JSON.stringify({ operationName: 'Status', variables: {}, query: 'query Status { status { caughtUp } }' }),
      });
      expect(await apollo.json()).toEqual({ data: { status: { caughtUp: true } } });
      const client = new GraphQLClient(gateway.url, { headers: { authorization: `Bearer ${await testAdminToken()}` } });
      expect(await client.request<{ status: { caughtUp: boolean } }>('{ status { caughtUp } }')).toEqual({ status: { caughtUp: true } });
      const form = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'query=mutation%7BcreateInventoryItem(input%3A%7Bsku%3A%22F%22%2Cname%3A%22f%22%7D)%7Brevision%7D%7D',
      });
      expect(form.status).toBe(403);
      const refusal = (await form.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(refusal.errors[0]).toMatchObject({
        extensions: { code: 'CSRF_PREVENTED' },
        message: expect.stringMatching(/application\/json/),
      });
    });
  });
});
