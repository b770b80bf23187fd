/**
 * Baseline: the same command (check N items in to an item's stream, optimistic concurrency on the
 * stream version) through Emmett's CommandHandler and Emmett's SQLite event store (file-backed,
 * WAL, synchronous=FULL — node-sqlite3's default, checked at start) behind a minimal node:http
 * endpoint. The business logic is the project's own pure inventory decider, so both sides decide
 * exactly the same thing.
 *
 * Emmett's SQLite store (0.38.x) opens one connection per operation and closes the shared handle
 * when an operation ends, and sets no busy timeout: with two commands in flight at once it fails
 * (SQLITE_BUSY / SQLITE_MISUSE). mode 'serialized' therefore runs one command at a time in the
 * process (what a user of it has to do); mode 'as-shipped' runs them concurrently as they come.
 *
 * Input: { fileName, items: [{ id, sku, name, unitPriceCents }], mode }.
 * POST /check-in {"id","count"} → 200 {"revision","quantityOnHand"}; GET /total → {"quantityOnHand"}.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CommandHandler } from '@event-driven-io/emmett';
import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';
import sqlite3 from 'sqlite3';
import type { InventoryItem, InventoryItemCommand, InventoryItemEvent } from '../../domain/inventory';
import { decideInventoryItem, evolveInventoryItem, initialInventoryItem, inventoryItemStreamName } from '../../domain/inventory';
import { fail, onStop, sendReady, taskInput } from '../lib/childRuntime';

interface Input {
  readonly fileName: string;
  readonly items: ReadonlyArray<{ id: string; sku: string; name: string; unitPriceCents: number }>;
  readonly mode: 'serialized' | 'as-shipped';
}

/** Emmett's event shape: { type, data } plus optional metadata — the domain's events fit as they are. */
type EmmettInventoryEvent = InventoryItemEvent & { readonly kind?: 'Event'; readonly metadata?: Record<string, unknown> };

async function main(): Promise<void> {
  const input = taskInput<Input>();
  mkdirSync(dirname(input.fileName), { recursive: true });
  const synchronous = await pragmaSynchronous(input.fileName);
  const eventStore = getSQLiteEventStore({ fileName: input.fileName });
  const handle = CommandHandler<InventoryItem, EmmettInventoryEvent>({
    evolve: (state, event) => evolveInventoryItem(state, event),
    initialState: initialInventoryItem,
    // The gateway retries a conflicting write too (up to 8 attempts).
    retry: { onVersionConflict: true },
  });

  let tail: Promise<unknown> = Promise.resolve();
  const serialize = <T>(task: () => Promise<T>): Promise<T> => {
    if (input.mode !== 'serialized') return task();
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
  const execute = (command: InventoryItemCommand) =>
    serialize(() =>
      handle(eventStore, inventoryItemStreamName(command.itemId), (state) => {
        // The same metadata the gateway stores beside each event.
        const metadata = { commandId: randomUUID(), correlationId: randomUUID(), actor: 'anonymous', occurredAt: new Date().toISOString() };
        return decideInventoryItem(command, state).map((event) => ({ ...event, metadata }));
      }),
    );

  for (const item of input.items) {
    await execute({ type: 'CreateInventoryItem', itemId: item.id, sku: item.sku, name: item.name, unitPriceCents: item.unitPriceCents });
  }

  const errors = new Map<string, number>();
  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      const code = (error as { code?: string }).code ?? (error as Error).name ?? 'Error';
      errors.set(code, (errors.get(code) ?? 0) + 1);
      if (!response.headersSent) respond(response, 500, { error: code, message: String((error as Error).message ?? error) });
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === 'POST' && request.url === '/check-in') {
      const { id, count } = JSON.parse(await body(request)) as { id: string; count: number };
      const result = await execute({ type: 'CheckInItemsToInventory', itemId: id, count });
      const state = result.newState;
      respond(response, 200, {
        revision: Number(result.nextExpectedStreamVersion) - 1,
        quantityOnHand: state.status === 'notCreated' ? 0 : state.quantityOnHand,
      });
      return;
    }
    if (request.method === 'GET' && request.url === '/total') {
      let quantityOnHand = 0;
      for (const item of input.items) {
        const { state } = await serialize(() =>
          eventStore.aggregateStream(inventoryItemStreamName(item.id), {
            evolve: (s: InventoryItem, e: EmmettInventoryEvent) => evolveInventoryItem(s, e),
            initialState: initialInventoryItem,
          }),
        );
        if (state.status !== 'notCreated') quantityOnHand += state.quantityOnHand;
      }
      respond(response, 200, { quantityOnHand, errors: Object.fromEntries(errors) });
      return;
    }
    respond(response, 404, { error: 'not found' });
  }

  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  onStop(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  sendReady({ url: `http://127.0.0.1:${port}`, synchronous });
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

function respond(response: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** The durability Emmett's connections get: journal_mode=WAL (Emmett sets it) and the build's default synchronous. */
function pragmaSynchronous(fileName: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(fileName);
    db.run('PRAGMA journal_mode = WAL;');
    db.get('PRAGMA synchronous', (error: Error | null, row: { synchronous: number }) => {
      db.close();
      if (error) reject(error);
      else resolve(row.synchronous);
    });
  });
}

main().catch(fail);
