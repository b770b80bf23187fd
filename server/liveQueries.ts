/**
 * Live queries: a query marked `@live` is sent again whenever a projection document it read
 * changes. Invalidation comes from the read side's change notifications (one per document an
 * event changed), never from polling or a TTL.
 *
 * Keys follow `@n1ru4l/in-memory-live-query-store`: `Typename:id` for every object with an `id`
 * in the result, `Query.field` and `Query.field(id:"…")` for root fields. A changed document
 * invalidates its own `Typename:id`, the list fields whose membership or order it may change, and
 * the by-id lookup of a document that appeared or disappeared (a live `order(id)` that answered
 * null starts answering once the order exists).
 *
 * A re-execution runs with the subscriber's original context (the same actor, so the same
 * authorization), with that context's DataLoader caches cleared so it reads the new state.
 */
import type { Plugin } from '@envelop/core';
import type * as LiveQueryStoreModule from '@n1ru4l/in-memory-live-query-store' with { 'resolution-mode': 'import' };
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { Kind, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { isAsyncIterable } from './asyncIterators';
import type { ChangeSource } from '../application/changeFeed';
import type { GatewayContext } from '../application/context';
import { INVENTORY_ITEM_VIEW } from '../projections/inventoryItemView/inventoryItemView';
import { ORDER_VIEW } from '../projections/orderView/orderView';
import type { DocumentChange } from '../projections/projection';
import { SHOP_DASHBOARD } from '../projections/shopDashboard/shopDashboard';

// The package ships CommonJS for require(), but its types are declared as ESM only.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { InMemoryLiveQueryStore } = require('@n1ru4l/in-memory-live-query-store') as typeof LiveQueryStoreModule;

/** `directive @live(if: Boolean = true, throttle: Int) on QUERY`, as the store expects it. */
export const LIVE_DIRECTIVE = 'live';

/** What a change to a document of each projection invalidates. */
const INVALIDATES: Readonly<Record<string, (change: DocumentChange) => readonly string[]>> = {
  [INVENTORY_ITEM_VIEW]: (change) => [
    `InventoryItem:${change.id}`,
    'Query.inventoryItems',
    ...(appearedOrVanished(change) ? [`Query.inventoryItem(id:"${change.id}")`, 'Query.inventoryItemBySku'] : []),
  ],
  [ORDER_VIEW]: (change) => [
    `Order:${change.id}`,
    'Query.orders',
    ...(appearedOrVanished(change) ? [`Query.order(id:"${change.id}")`] : []),
  ],
  [SHOP_DASHBOARD]: () => ['Query.dashboard'],
};

/** The GraphQL types that show projection documents, and the key of the document behind one. */
const DOCUMENT_TYPES: Readonly<Record<string, (source: { readonly id: string }) => string>> = {
  InventoryItem: (item) => `InventoryItem:${item.id}`,
  Order: (order) => `Order:${order.id}`,
};

/**
 * Every field of a document type records its document's key, so a live query that shows an item
 * (say `order { lines { item { quantityAvailable } } }`) is re-run when that item changes even if
 * it never selected the item's `id` (the store's own tracking needs the `id` selected).
 */
export function withLiveResourceKeys(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, _fieldName, typeName) => {
      const keyOf = DOCUMENT_TYPES[typeName];
      if (!keyOf) return field;
      return {
        ...field,
        extensions: { ...field.extensions, liveQuery: { collectResourceIdentifiers: (source: { readonly id: string }) => keyOf(source) } },
      };
    },
  });
}

function appearedOrVanished(change: DocumentChange): boolean {
  return change.document === null || change.event.revision === 0;
}

export function liveQueryKeys(change: DocumentChange): readonly string[] {
  return INVALIDATES[change.projection]?.(change) ?? [];
}

/** True when the document carries `@live` anywhere on an operation (the store decides per operation and `if:`). */
export function hasLiveDirective(document: DocumentNode): boolean {
  return document.definitions.some(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      definition.operation === 'query' &&
      (definition.directives ?? []).some((directive) => directive.name.value === LIVE_DIRECTIVE),
  );
}

export interface LiveQueries {
  readonly plugin: Plugin;
  /** Stops listening to the read side. */
  readonly dispose: () => void;
}

/**
 * Re-sends live queries when the read side changes what they read. Invalidations of one event-loop
 * turn are collected and handed to the store once, so a command that changes several documents
 * (an order and its items) re-runs each affected query once, after all of them are applied.
 */
export function createLiveQueries(readSide: ChangeSource): LiveQueries {
  const store = new InMemoryLiveQueryStore({
    includeIdentifierExtension: false,
    // A client may slow its own re-sends down (`@live(throttle: ms)`); nothing below 1 ms.
    validateThrottleValue: (requested) => (requested !== null && requested !== undefined && requested >= 1 ? requested : null),
  });
  let pending: Set<string> | null = null;
  const flush = () => {
    const keys = pending;
    pending = null;
    if (keys && keys.size > 0) void store.invalidate([...keys]);
  };
  const stopListening = readSide.onChange((change) => {
    const keys = liveQueryKeys(change);
    if (keys.length === 0) return;
    if (pending === null) {
      pending = new Set();
      setImmediate(flush);
    }
    for (const key of keys) pending.add(key);
  });

  const plugin: Plugin = {
    onExecute: ({ args, executeFn, setExecuteFn }) => {
      if (!hasLiveDirective(args.document)) return;
      const context = args.contextValue as Partial<GatewayContext>;
      const liveExecute = store.makeExecute((executionArgs: ExecutionArgs) => {
        clearLoaderCaches(context);
        return executeFn(executionArgs) as ReturnType<typeof executeFn> & {};
      });
      setExecuteFn((executionArgs: ExecutionArgs) => {
        const result = liveExecute(executionArgs);
        return isAsyncIterable(result) ? changedOnly(result as AsyncIterableIterator<unknown>) : result;
      });
    },
  };

  return { plugin, dispose: stopListening };
}

/**
 * A re-run whose result is the same as the last one sent is not sent again. A plain iterator, not an
 * async generator: a generator's `return()` waits for a pending `next()`, so a client that went away
 * would keep its live query registered until the next change.
 */
function changedOnly<T>(results: AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  let last: string | undefined;
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      for (;;) {
        const step = await results.next();
        if (step.done) return step;
        const serialized = JSON.stringify(step.value);
        if (serialized !== last) {
          last = serialized;
          return step;
        }
      }
    },
    async return(value?: unknown) {
      return (await results.return?.(value as never)) ?? { done: true, value: undefined as never };
    },
  };
}

function clearLoaderCaches(context: Partial<GatewayContext>): void {
  const loaders = context.loaders;
  if (!loaders) return;
  for (const loader of Object.values(loaders)) loader.clearAll();
}
