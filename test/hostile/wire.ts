/**
 * The hostile suite's clients: plain fetch, raw TCP for requests fetch will not send, the
 * graphql-ws client, and raw WebSocket frames that break the graphql-transport-ws protocol.
 */
import { connect } from 'node:net';
import type { Client as WsClient, ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import type { HttpAnswer } from './conformance';

export const ACCEPT = 'application/graphql-response+json, application/json';

export interface HttpRequest {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Uint8Array | ReadableStream<Uint8Array>;
  readonly timeoutMs?: number;
}

export async function httpRequest(request: HttpRequest): Promise<HttpAnswer> {
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method ?? 'POST',
    headers: request.headers ?? {},
    signal: AbortSignal.timeout(request.timeoutMs ?? 15_000),
  };
  if (request.body !== undefined) {
    init.body = request.body as BodyInit;
    if (request.body instanceof ReadableStream) init.duplex = 'half';
  }
  const response = await fetch(request.url, init);
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

/** A POST of `{ query, variables, ... }` as JSON, the way GraphQL clients send it. */
export function postJson(url: string, payload: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return httpRequest({
    url,
    headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers },
    body: typeof payload === 'string' || payload instanceof Uint8Array ? payload : JSON.stringify(payload),
  });
}

/** Sends bytes over TCP as they are (for framing fetch refuses to produce) and parses the answer. */
export function rawHttp(port: number, request: string | Buffer, timeoutMs = 3_000): Promise<HttpAnswer & { raw: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    const finish = () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const contentType = /\r\ncontent-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? null;
      let body = rest.join('\r\n\r\n');
      if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) body = dechunk(body);
      resolve({ status, contentType, text: body, raw });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      finish();
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', finish);
    socket.on('error', () => undefined);
  });
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const newline = rest.indexOf('\r\n');
    if (newline < 0) return out;
    const size = Number.parseInt(rest.slice(0, newline), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += rest.slice(newline + 2, newline + 2 + size);
    rest = rest.slice(newline + 2 + size + 2);
  }
}

export type WsOperationOutcome =
  | { readonly kind: 'error'; readonly errors: unknown[]; readonly results: ExecutionResult[] }
  | { readonly kind: 'complete'; readonly results: ExecutionResult[] }
  | { readonly kind: 'pending'; readonly results: ExecutionResult[] }
  | { readonly kind: 'closed'; readonly code: number; readonly reason: string; readonly results: ExecutionResult[] }
  | { readonly kind: 'failed'; readonly message: string; readonly results: ExecutionResult[] };

/**
 * Runs one operation over a graphql-ws client: resolves on the `error` message, on `complete`, on
 * the socket closing, or (a subscription that is still open) after `pendingMs`.
 */
export function wsOperation(
  client: WsClient,
  payload: { query: string; variables?: Record<string, unknown> | null; operationName?: string | null },
  pendingMs = 1_500,
): Promise<WsOperationOutcome> {
  return new Promise((resolve) => {
    const results: ExecutionResult[] = [];
    let settled = false;
    let unsubscribe: () => void = () => undefined;
    const finish = (outcome: WsOperationOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unsubscribe();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'pending', results }), pendingMs);
    unsubscribe = client.subscribe(payload as never, {
      next: (value) => {
        results.push(value as ExecutionResult);
      },
      error: (error: unknown) => {
        if (Array.isArray(error)) finish({ kind: 'error', errors: error, results });
        else if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'number') {
          const close = error as { code: number; reason?: string };
          finish({ kind: 'closed', code: close.code, reason: String(close.reason ?? ''), results });
        } else finish({ kind: 'failed', message: error instanceof Error ? error.message : String(error), results });
      },
      complete: () => finish({ kind: 'complete', results }),
    });
  });
}

export type Frame = string | Buffer;

export interface RawWsOptions {
  readonly protocol?: string | string[];
  /** Frames to send in order. After a connection_init the next frame waits for connection_ack (or a close). */
  readonly frames: readonly Frame[];
  /** `close`: wait for the server to close; `alive`: afterwards ping and expect a pong on the same socket. */
  readonly expect: 'close' | 'alive';
  /** Ids whose `complete` or `error` to wait for before the liveness ping. */
  readonly awaitIds?: readonly string[];
  readonly timeoutMs?: number;
}

export interface RawWsOutcome {
  readonly closeCode: number | null;
  readonly closeReason: string;
  readonly messages: Array<Record<string, unknown>>;
  readonly rawMessages: string[];
  readonly alive: boolean;
  readonly clientError: string | null;
}

/** A raw WebSocket speaking (or mis-speaking) graphql-transport-ws. */
export function rawWs(url: string, options: RawWsOptions): Promise<RawWsOutcome> {
  const timeoutMs = options.timeoutMs ?? 3_000;
  return new Promise((resolve) => {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), options.protocol ?? 'graphql-transport-ws', { maxPayload: 200 * 1024 * 1024 });
    const messages: Array<Record<string, unknown>> = [];
    const rawMessages: string[] = [];
    let closeCode: number | null = null;
    let closeReason = '';
    let clientError: string | null = null;
    let alive = false;
    let opened = false;
    const waiters: Array<() => void> = [];
    const notify = () => waiters.splice(0).forEach((wake) => wake());
    const waitUntil = (condition: () => boolean, ms: number) =>
      new Promise<boolean>((done) => {
        const deadline = setTimeout(() => done(condition()), ms);
        const check = () => {
          if (condition()) {
            clearTimeout(deadline);
            done(true);
          } else waiters.push(check);
        };
        check();
      });
    const closed = () => closeCode !== null;

    socket.on('message', (data) => {
      const text = String(data);
      rawMessages.push(text);
      try {
        messages.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        messages.push({ unparsable: text.slice(0, 200) });
      }
      notify();
    });
    socket.on('close', (code, reason) => {
      closeCode = code;
      closeReason = String(reason);
      notify();
      if (!opened) {
        // The handshake failed: there is nothing more to wait for.
        clearTimeout(overall);
        resolve({ closeCode, closeReason, messages, rawMessages, alive, clientError });
      }
    });
    socket.on('error', (error) => {
      clientError = error.message;
      notify();
    });

    const overall = setTimeout(() => {
      socket.terminate();
      resolve({ closeCode, closeReason, messages, rawMessages, alive, clientError });
    }, timeoutMs + 2_000);

    socket.on('open', async () => {
      opened = true;
      for (const frame of options.frames) {
        if (closed()) break;
        await new Promise<void>((sent) => socket.send(frame, () => sent()));
        if (typeof frame === 'string' && /"type"\s*:\s*"connection_init"/.test(frame)) {
          await waitUntil(() => closed() || messages.some((m) => m.type === 'connection_ack'), 1_000);
        }
      }
      if (options.expect === 'close') {
        await waitUntil(closed, timeoutMs);
      } else {
        const ids = options.awaitIds ?? [];
        await waitUntil(
          () => closed() || ids.every((id) => messages.some((m) => m.id === id && (m.type === 'complete' || m.type === 'error'))),
          timeoutMs,
        );
        if (!closed()) {
          const pongsBefore = messages.filter((m) => m.type === 'pong').length;
          socket.send(JSON.stringify({ type: 'ping' }));
          alive = await waitUntil(() => !closed() && messages.filter((m) => m.type === 'pong').length > pongsBefore, 1_000);
        }
      }
      clearTimeout(overall);
      if (!closed()) {
        socket.close(1000);
        await waitUntil(closed, 500);
      }
      resolve({ closeCode, closeReason, messages, rawMessages, alive, clientError });
    });
  });
}
