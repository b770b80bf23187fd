/**
 * A response cache invalidated by events: repeated queries are answered from memory until an
 * event changes a document their result shows. No TTL: a cached result stays exactly as long as
 * the projection documents behind it.
 *
 * - Scope: one cache space per caller (an HMAC of the actor under a per-process secret), so a
 *   result is only ever served to the identity it was computed for; a token that fails to verify
 *   gets a space of its own and the request then fails authentication as usual.
 * - What is cached: only root fields that read projection documents (`CACHEABLE_ROOT_FIELDS`);
 *   a result that touches any other field (status, history, time travel, admin reads) is not.
 *   Results with errors and live queries are never cached.
 * - Invalidation: every projection change purges the results that show a document of its type,
 *   or showed one missing (the plugin adds `__typename` to every selection to know them; a result
 *   that shows no document at all is not stored). It happens when the read side publishes the
 *   change, in the same event-loop turn in which the writer waiting for it was answered, so a
 *   client that reads after its mutation's answer never gets the older result.
 * - A result computed while an invalidation happened is not stored (it may mix old and new state).
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Plugin } from '@envelop/core';
import { createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { createLRUCache } from 'graphql-yoga';
import type { ChangeSource } from '../application/changeFeed';
import type { Actor } from '../application/actor';
import { actorName } from '../application/actor';
import { INVENTORY_ITEM_VIEW } from '../projections/inventoryItemView/inventoryItemView';
import { ORDER_VIEW } from '../projections/orderView/orderView';
import type { DocumentChange } from '../projections/projection';
import { SHOP_DASHBOARD } from '../projections/shopDashboard/shopDashboard';
// Variables nested deeper than its MAX_KEY_DEPTH make a request uncacheable (no key is built for them).
import { canonicalVariables } from './canonicalVariables';

/** The root fields whose results are built only from projection documents. */
export const CACHEABLE_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'inventoryItem',
  'inventoryItemBySku',
  'inventoryItems',
  'order',
  'orders',
  'dashboard',
]);

interface CachedEntity {
  readonly typename: string;
  readonly id?: string;
}

/**
 * The document type each projection's changes purge. A change purges every cached result that
 * shows any document of that type (not only the changed one): a filtered or sorted list that did
 * not show the document may have to show it now. Coarse on purpose: exact, and reads still hit
 * between writes.
 */
const PURGED_TYPE: Readonly<Record<string, string>> = {
  [INVENTORY_ITEM_VIEW]: 'InventoryItem',
  [ORDER_VIEW]: 'Order',
  [SHOP_DASHBOARD]: 'ShopDashboard',
};

export function cachePurges(change: DocumentChange): readonly CachedEntity[] {
  const typename = PURGED_TYPE[change.projection];
  return typename ? [{ typename }] : [];
}

type InMemoryCache = ReturnType<typeof createInMemoryCache>;

/**
 * Indexes every stored result under the type name of each document it shows (the plugin indexes
 * `Type:id` only), and refuses a result that shows no document at all (`{ orders { totalCount } }`):
 * nothing could ever purge it.
 */
function indexedByType(cache: InMemoryCache): InMemoryCache {
  return {
    ...cache,
    set(responseId, result, entities, ttl) {
      const all = [...entities];
      if (all.length === 0) return undefined;
      const typenames = new Set(all.map((entity) => entity.typename));
      return cache.set(responseId, serializedOnce(result), [...all, ...[...typenames].map((typename) => ({ typename }))], ttl);
    },
  };
}

/**
 * A cached result is serialized once, not on every hit: yoga writes a result with the result's own
 * `stringify` when it has one (the plugin's hit copies the cached result's properties, this one
 * included). The text is what yoga would write: the result without its transport-only `http`
 * extension (cached results carry no errors).
 */
function serializedOnce<Result extends object>(result: Result): Result {
  let body: string | undefined;
  const stringify = () => {
    if (body === undefined) {
      const { extensions, ...rest } = result as { extensions?: Record<string, unknown> };
      const { http: _http, ...others } = extensions ?? {};
      body = JSON.stringify(Object.keys(others).length > 0 ? { ...rest, extensions: others } : rest);
    }
    return body;
  };
  return Object.assign(result, { stringify });
}

/** Longer documents are never cached (their verdicts would crowd the LRU, and they are rarely repeated). */
const MAX_CACHED_DOCUMENT_LENGTH = 10_000;

/** Only plain queries are cached: never a mutation, a subscription or a live query. */
function cacheableOperation(
  maxTokens: number,
): (params: { readonly query?: unknown; readonly operationName?: unknown } | null | undefined) => boolean {
  const verdicts = createLRUCache<boolean>({ max: 1000 });
  return (params) => {
    if (typeof params?.query !== 'string' || params.query.length > MAX_CACHED_DOCUMENT_LENGTH) return false;
    const operationName = typeof params.operationName === 'string' ? params.operationName : null;
    const key = `${operationName ?? ''}\n${params.query}`;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      try {
        const operation = getOperationAST(parse(params.query, { maxTokens }), operationName);
        verdict = operation?.operation === 'query' && !(operation.directives ?? []).some((directive) => directive.name.value === 'live');
      } catch {
        verdict = false;
      }
      verdicts.set(key, verdict);
    }
    return verdict;
  };
}

const COMPUTED_DURING_INVALIDATION = Symbol('computedDuringInvalidation');

export interface ResponseCacheOptions {
  readonly schema: GraphQLSchema;
  readonly readSide: ChangeSource;
  readonly authenticate: (authorization: string | null) => Promise<Actor>;
  /** Most results kept (least recently used go first). */
  readonly maxEntries: number;
  /** The parser's token limit (the gateway's own), for the cacheability check. */
  readonly maxTokens: number;
}

export interface ResponseCache {
  /** In this order, after the plugins that validate and limit requests. */
  readonly plugins: readonly Plugin[];
  /** Purges everything (a rebuilt read model replaced every document at once). */
  readonly invalidateAll: () => void;
  readonly dispose: () => void;
}

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const cache = indexedByType(createInMemoryCache({ max: options.maxEntries }));
  const secret = randomBytes(32);
  let invalidations = 0;

  const invalidate = (entities: readonly CachedEntity[]) => {
    if (entities.length === 0) return;
    invalidations += 1;
    void cache.invalidate(entities);
  };
  const stopListening = options.readSide.onChange((change) => invalidate(cachePurges(change)));

  const queryType = options.schema.getQueryType();
  const uncacheable = Object.fromEntries(
    Object.keys(queryType?.getFields() ?? {})
      .filter((field) => !CACHEABLE_ROOT_FIELDS.has(field))
      .map((field) => [`Query.${field}`, 0]),
  );

  // An actor's cache space is the same on every request: computed once (HMAC was 3% of a cache hit's CPU).
  const cacheSpaces = createLRUCache<string>({ max: 10_000 });
  const cacheSpaceOf = (actor: string): string => {
    let space = cacheSpaces.get(actor);
    if (space === undefined) cacheSpaces.set(actor, (space = createHmac('sha256', secret).update(actor).digest('base64url')));
    return space;
  };

  const isCacheable = cacheableOperation(options.maxTokens);
  // Decided once per request, when the plugin builds its key (before the request is parsed), and
  // read back by `enabled` for the same request context. A request the plugin never keyed (one over
  // graphql-ws) is never cached.
  const verdicts = new WeakMap<object, boolean>();
  const responseCache = useResponseCache({
    cache,
    ttl: Infinity,
    ttlPerSchemaCoordinate: uncacheable,
    invalidateViaMutation: false,
    includeExtensionMetadata: false,
    enabled: (_request, context) => (typeof context === 'object' && context !== null && verdicts.get(context)) === true,
    // The plugin's own key is a stable stringify that recurses as deep as a client nests its variables.
    buildResponseCacheKey: ({ documentString, variableValues, operationName, sessionId, context }) => {
      let key: string | null = null;
      if (isCacheable({ query: documentString, operationName })) {
        try {
          key = createHash('sha256')
            .update(JSON.stringify([sessionId ?? null, operationName ?? null, documentString, canonicalVariables(variableValues ?? null)]))
            .digest('base64url');
        } catch {
          key = null;
        }
      }
      if (typeof context === 'object' && context !== null) verdicts.set(context, key !== null);
      // An uncacheable request still gets a key of its own: no two requests ever share one by accident.
      return key ?? `uncacheable:${randomUUID()}`;
    },
    session: async (request) => {
      try {
        const actor = await options.authenticate(request.headers.get('authorization'));
        return cacheSpaceOf(actorName(actor));
      } catch {
        return randomUUID();
      }
    },
    shouldCacheResult: ({ result }) =>
      !(result.errors && result.errors.length > 0) && (result as Record<symbol, unknown>)[COMPUTED_DURING_INVALIDATION] !== true,
  });

  /** Marks a result whose execution overlapped an invalidation, so it is not stored. */
  const markOverlaps: Plugin = {
    onExecute: ({ executeFn, setExecuteFn }) => {
      setExecuteFn(async (args) => {
        const before = invalidations;
        const result = await executeFn(args);
        if (invalidations !== before && typeof result === 'object' && result !== null && !(Symbol.asyncIterator in result)) {
          (result as Record<symbol, unknown>)[COMPUTED_DURING_INVALIDATION] = true;
        }
        return result;
      });
    },
  };

  // The plugin reads `params.query` before anything checks the params (a batch of [null]).
  const { onParams } = responseCache as { onParams?: (payload: { params: unknown }) => unknown };
  const guarded = {
    ...responseCache,
    ...(onParams
      ? {
          onParams: (payload: { params: unknown }) =>
            payload.params !== null && typeof payload.params === 'object' ? onParams(payload) : undefined,
        }
      : {}),
  };

  return {
    plugins: [guarded as Plugin, markOverlaps],
    invalidateAll: () => invalidate(Object.values(PURGED_TYPE).map((typename) => ({ typename }))),
    dispose: stopListening,
  };
}
