/**
 * Sessions end with their tokens (issue 11, findings 1, 9 and 16), on both event stores: a
 * WebSocket is closed with 4440 when its token's `exp` passes and nothing more reaches it; a
 * client whose `connectionParams` is a function reconnects with a fresh token; an SSE stream ends
 * with a TOKEN_EXPIRED error; tokens without `exp` are refused; the scheme is case-insensitive.
 */
import { SignJWT, decodeJwt } from 'jose';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { issueToken } from '../../server/tokens';
import { backends } from '../support/backends';
import { TEST_JWT_SECRET, createItem, graphql, sseClient, take, wsClient } from '../support/gatewayHarness';
import { gatewayPerTest } from '../support/gatewayPerTest';

const shortLived = (sub: string, seconds: number) => issueToken(TEST_JWT_SECRET, { role: 'admin', sub }, { expiresIn: `${seconds}s` });
const expiryOf = (token: string) => decodeJwt(token).exp! * 1000;
const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

interface Closed {
  code: number;
  reason: string;
}

function isClosed(value: unknown): value is Closed {
  return typeof value === 'object' && value !== null && typeof (value as Closed).code === 'number';
}

describe.each(backends)('sessions end with their tokens ($name)', (backend) => {
  const running = gatewayPerTest(backend, { PAYMENT_LATENCY_MS: '5' });

  it('closes a WebSocket with 4440 "Token expired" when its token expires; nothing more reaches it and an operation after expiry gets no data', async () => {
    const token = await shortLived('short-ws', 3);
    const expiresAt = expiryOf(token);
    const socket = new WebSocket(running.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const messages: Array<{ id?: string; type: string; payload?: unknown }> = [];
    const closed = new Promise<Closed>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
    while (!messages.some((m) => m.type === 'connection_ack')) await new Promise((resolve) => setTimeout(resolve, 10));
    socket.send(JSON.stringify({ id: 'events', type: 'subscribe', payload: { query: 'subscription { events { type } }' } }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await createItem(running.gateway.url, 'SESSION-BEFORE');
    const deadline = Date.now() + 5_000;
    while (!messages.some((m) => m.type === 'next') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(messages.filter((m) => m.type === 'next')).toHaveLength(1);

    await sleepUntil(expiresAt + 50);
    // Whatever the socket still does after expiry, it answers no operation with data.
    if (socket.readyState === WebSocket.OPEN)
      socket.send(JSON.stringify({ id: 'late', type: 'subscribe', payload: { query: '{ dashboard { ordersPlaced } }' } }));
    const close = await closed;
    expect(close).toEqual({ code: 4440, reason: 'Token expired: reconnect with a fresh token' });
    await createItem(running.gateway.url, 'SESSION-AFTER');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(messages.filter((m) => m.type === 'next')).toHaveLength(1);
    expect(messages.find((m) => m.id === 'late' && m.type === 'next')).toBeUndefined();
  });

  it('lets a graphql-ws client with connectionParams as a function reconnect with a fresh token and go on receiving', async () => {
    let tokensIssued = 0;
    const closes: number[] = [];
    const client = createWsClient({
      url: running.gateway.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 5,
      retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
      shouldRetry: () => true,
      // Re-evaluated on every (re)connect: this is where a client refreshes its token.
      connectionParams: async () => {
        tokensIssued += 1;
        return { authorization: `Bearer ${await shortLived(`refreshing-${tokensIssued}`, tokensIssued === 1 ? 2 : 60)}` };
      },
      on: { closed: (event) => void (isClosed(event) && closes.push(event.code)) },
    });
    try {
      const changes = client.iterate<{ inventoryItemChanges: { item: { sku: string } } }>({
        query: 'subscription { inventoryItemChanges { item { sku } } }',
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const first = take(changes, 1);
      await createItem(running.gateway.url, 'REFRESH-1');
      expect((await first)[0]?.data?.inventoryItemChanges.item.sku).toBe('REFRESH-1');
      const deadline = Date.now() + 8_000;
      while (tokensIssued < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closes).toContain(4440);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = take(changes, 1);
      await createItem(running.gateway.url, 'REFRESH-2');
      expect((await second)[0]?.data?.inventoryItemChanges.item.sku).toBe('REFRESH-2');
      expect(tokensIssued).toBe(2);
    } finally {
      await client.dispose();
    }
  });

  it('ends an SSE stream with a TOKEN_EXPIRED error when its token expires, and sends nothing after', async () => {
    const token = await shortLived('short-sse', 3);
    const expiresAt = expiryOf(token);
    const client = sseClient(running.gateway.url, token);
    const received: Array<{ data?: unknown; errors?: Array<{ extensions?: { code?: string } }> }> = [];
    const ended = new Promise<void>((resolve, reject) =>
      client.subscribe(
        { query: 'subscription { inventoryItemChanges { item { sku } } }' },
        { next: (value) => void received.push(value as never), error: reject, complete: resolve },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await createItem(running.gateway.url, 'SSE-BEFORE');
    await ended;
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expect(received).toHaveLength(2);
    expect(received[0]?.data).toEqual({ inventoryItemChanges: { item: { sku: 'SSE-BEFORE' } } });
    expect(received[1]?.errors?.[0]?.extensions?.code).toBe('TOKEN_EXPIRED');
    await createItem(running.gateway.url, 'SSE-AFTER');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(2);
    client.dispose();
  });

  it('closes a WebSocket whose token has already expired with 4440 and a reason, not a bare 4403', async () => {
    const expired = await issueToken(TEST_JWT_SECRET, { role: 'admin', sub: 'old' }, { expiresIn: '-1m' });
    const client = wsClient(running.gateway.url, expired);
    const refused = await take(client.iterate({ query: '{ status { caughtUp } }' }), 1).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 4440, reason: 'Token expired: reconnect with a fresh token' });
    await client.dispose();
    const http = await graphql(running.gateway.url, '{ status { caughtUp } }', undefined, { authorization: `Bearer ${expired}` });
    expect(http.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/expired/) });
  });

  it('refuses a token without exp over HTTP and WebSocket, and takes the scheme in any case', async () => {
    const forever = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('forever')
      .setIssuedAt()
      .sign(new TextEncoder().encode(TEST_JWT_SECRET));
    const http = await graphql(running.gateway.url, '{ dashboard { ordersPlaced } }', undefined, { authorization: `Bearer ${forever}` });
    expect(http.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(http.data ?? null).toBeNull();
    const ws = wsClient(running.gateway.url, forever);
    await expect(take(ws.iterate({ query: '{ dashboard { ordersPlaced } }' }), 1)).rejects.toMatchObject({ code: 4403 });
    await ws.dispose();

    const valid = await shortLived('case-insensitive', 60);
    for (const scheme of ['bearer', 'BEARER']) {
      const answer = await graphql(running.gateway.url, '{ dashboard { ordersPlaced } }', undefined, {
        authorization: `${scheme} ${valid}`,
      });
      expect([scheme, answer.errors]).toEqual([scheme, undefined]);
    }
    const lower = createWsClient({
      url: running.gateway.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { authorization: `bearer ${valid}` },
    });
    expect((await take(lower.iterate({ query: '{ dashboard { ordersPlaced } }' }), 1))[0]?.errors).toBeUndefined();
    await lower.dispose();
  });
});
