/**
 * graphql-yoga with the gateway's options and plugins: HTTP and SSE, GraphiQL, masking, limits,
 * live queries, metrics, the readiness probe and the response cache. Built without a port, so the API
 * tier drives it through `yoga.fetch`.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { IncomingMessage } from 'node:http';
import { createLRUCache, createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { GraphQLError, Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../application/context';
import { DomainError } from '../domain/errors';
import { InvalidCursorError } from '../projections/pagination';
import type { GatewayConfig } from './config';
import { corsPolicy } from './cors';
import { mayReceiveDevTokenFrom } from './devAccess';
import { useErrorCodes } from './errorCodes';
import { createErrorMasker } from './errors';
import { GRAPHIQL_DEFAULT_TAB } from './graphiqlDefaults';
import { hasLiveDirective } from './liveQueries';
import type { GatewayLogger } from './logger';
import type { MutationRateLimiter } from './rateLimit';
import { useReadiness } from './readinessCheck';
import { securityPlugins } from './security';
import { useSessionExpiry } from './sessionExpiry';
import type { ContextRequest } from './webSocket';
import type { Session } from './tokens';

export const GRAPHQL_PATH = '/graphql';

export type GatewayYoga = YogaServerInstance<{ req?: IncomingMessage }, GatewayContext>;

export interface GatewayYogaOptions {
  readonly config: GatewayConfig;
  readonly schema: GraphQLSchema;
  readonly logger: GatewayLogger;
  readonly authenticate: (authorization: string | null) => Promise<Session>;
  readonly createContext: (request: ContextRequest) => GatewayContext;
  /** The headers GraphiQL starts with in a local browser (the dev admin token), if any. */
  readonly graphiqlHeaders: string | undefined;
  readonly rateLimiter: MutationRateLimiter;
  /** Answers /ready: true once the read side has caught up. */
  readonly isReady: () => Promise<boolean>;
  /** Run around execution, in this order, after jit and before the security plugins. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- envelop plugins typed for other contexts than ours
  readonly observers: readonly Plugin<any>[];
  /** Last: a cache hit answers before execution, after the request passed the checks before it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  readonly responseCachePlugins: readonly Plugin<any>[];
}

export function createGatewayYoga(options: GatewayYogaOptions): GatewayYoga {
  const { config, schema, logger, authenticate, createContext, graphiqlHeaders } = options;
  const graphiqlOptions = { title: 'Event shop gateway', defaultQuery: GRAPHIQL_DEFAULT_TAB, subscriptionsProtocol: 'WS' as const };
  return createYoga<{ req?: IncomingMessage }, GatewayContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    // Over WebSocket there is no fetch Request: webSocket.ts builds that context itself.
    context: async ({ request, req }) => {
      if (!request) return {} as GatewayContext;
      const session = await authenticate(request.headers.get('authorization'));
      return createContext({
        actor: session.actor,
        sessionExpiresAt: session.expiresAt,
        correlationHeader: request.headers.get('x-correlation-id'),
        clientAddress: req?.socket.remoteAddress,
      });
    },
    maskedErrors: { maskError: createErrorMasker(logger) },
    graphiql: config.graphiql
      ? (request) =>
          graphiqlHeaders && mayReceiveDevTokenFrom(request.headers) ? { ...graphiqlOptions, headers: graphiqlHeaders } : graphiqlOptions
      : false,
    cors: corsPolicy(config.corsOrigins),
    batching: { limit: config.limits.maxBatch },
    // The body limit is enforced from Content-Length before yoga runs (rejectOversizedBody): yoga's
    // own stream-based limit measured here at about 2.4x lower throughput.
    maxRequestBodySize: false,
    renderGraphiQL,
    landingPage: false,
    logging: {
      debug: (...args) => logger.debug?.(String(args[0])),
      info: (...args) => logger.info(String(args[0])),
      warn: (...args) => logger.warn(String(args[0])),
      // Refused requests (domain errors, bad cursors or page sizes, anything coded for the client)
      // are the client's business, not the operator's: debug, not error, and no stack.
      error: (...args) =>
        args.some(isClientMistake)
          ? logger.debug(truncate(String(args[0])))
          : logger.error(truncate(String(args[0])), { detail: args.slice(1).map((arg) => truncate(String(arg))) }),
    },
    plugins: [
      // Queries and mutations run through graphql-jit: each document is compiled once (cached), then
      // executed as generated code; subscriptions keep graphql-js.
      // Live queries keep graphql-js too: the live store re-executes them against its own instrumented schema.
      useGraphQlJit(
        {},
        { enableIf: (args) => !isSubscription(args.document) && !hasLiveDirective(args.document), cache: createLRUCache({ max: 1000 }) },
      ),
      ...options.observers,
      useSessionExpiry(),
      useErrorCodes(),
      ...securityPlugins(config, options.rateLimiter),
      useReadiness({ endpoint: '/ready', check: options.isReady }),
      ...options.responseCachePlugins,
    ],
  });
}

/** A refusal of the client's own request: it has a stable code for the client, nothing for the operator. */
function isClientMistake(value: unknown): boolean {
  const original = value instanceof GraphQLError && value.originalError ? value.originalError : value;
  if (original instanceof DomainError || original instanceof InvalidCursorError) return true;
  const code = original instanceof GraphQLError ? original.extensions?.code : undefined;
  return typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR';
}

/** Log lines stay bounded whatever a client sent. */
function truncate(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

function isSubscription(document: DocumentNode): boolean {
  return document.definitions.some(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === 'subscription',
  );
}
