/**
 * What protects the gateway from hostile or careless clients: query limits (depth, aliases,
 * tokens, directives, cost) that never reveal the limit in their errors, a per-client mutation
 * rate limit counting every mutation field executed, cross-site write prevention, and a
 * request-body limit checked on the Content-Length header before anything is read.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, Kind, getOperationAST, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import { collectFields } from 'graphql/execution/collectFields';
import { getVariableValues } from 'graphql/execution/values';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { actorName } from '../application/actor';
import type { GatewayContext } from '../application/context';
import type { GatewayConfig } from './config';
import type { MutationRateLimiter } from './rateLimit';

/** One answer for every limit, with a stable code and without the limit's value. */
function rejectOverLimit(): never {
  throw new GraphQLError('The operation is too large or too complex', { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });
}

/** Brackets nested deeper than this are refused before parsing (the parser recurses per level). */
const MAX_NESTING = 100;

/** The deepest nesting of {, [ and ( outside string literals. */
export function nestingDepth(source: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source.charCodeAt(i);
    if (inString) {
      if (char === 92 /* \\ */) i += 1;
      else if (char === 34 /* " */) inString = false;
      continue;
    }
    if (char === 34) inString = true;
    else if (char === 123 || char === 91 || char === 40) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (char === 125 || char === 93 || char === 41) depth -= 1;
    else if (char === 35 /* # */) while (i < source.length && source.charCodeAt(i) !== 10) i += 1;
  }
  return deepest;
}

/** Refuses absurdly nested operations before graphql-js's recursive parser could run out of stack. */
function nestingGuard(): Plugin {
  return {
    onParse: ({ params }) => {
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      if (nestingDepth(source) > MAX_NESTING) rejectOverLimit();
    },
  };
}

export function securityPlugins(config: GatewayConfig, rateLimiter: MutationRateLimiter): Plugin[] {
  const { limits } = config;
  const guard = { exposeLimits: false, onReject: [rejectOverLimit] };
  const plugins: Plugin[] = [
    nestingGuard(),
    EnvelopArmorPlugin({
      maxDepth: { n: limits.maxDepth, flattenFragments: true, ...guard },
      maxAliases: { n: limits.maxAliases, ...guard },
      maxTokens: { n: limits.maxTokens, ...guard },
      maxDirectives: { n: limits.maxDirectives, ...guard },
      costLimit: { maxCost: limits.maxCost, ...guard },
      blockFieldSuggestion: { enabled: config.production },
    }) as Plugin,
    preventCrossSiteWrites(),
    mutationRateLimit(rateLimiter),
  ];
  if (!config.introspection) plugins.push(useDisableIntrospection());
  return plugins;
}

/** Content types a browser may POST cross-site without a CORS preflight (an HTML form can send them). */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
/** Headers a page on another site cannot add without a preflight, which CORS then refuses. */
export const PREFLIGHT_HEADERS = ['x-graphql-yoga-csrf', 'graphql-preflight', 'apollo-require-preflight'];

/**
 * Refuses a POST another site's page could send without a preflight (a form post, text/plain),
 * unless it carries a preflight header. GET is allowed as urql and other clients send queries that
 * way: over GET yoga runs only queries (a mutation gets 405), and no request carries an ambient
 * credential (authentication is a bearer header a browser never attaches on its own, never a
 * cookie), so a cross-site GET runs as anonymous and CORS keeps its answer from that site.
 */
function preventCrossSiteWrites(): Plugin {
  return {
    onRequestParse: ({ request }) => {
      if (request.method === 'GET' || request.method === 'HEAD') return;
      const contentType = request.headers.get('content-type')?.toLowerCase();
      if (contentType && !SIMPLE_CONTENT_TYPES.some((simple) => contentType.startsWith(simple))) return;
      if (PREFLIGHT_HEADERS.some((header) => request.headers.has(header))) return;
      throw createGraphQLError(
        'Cross-site request refused: POST the operation with Content-Type: application/json (or send a graphql-preflight header)',
        {
          extensions: { code: 'CSRF_PREVENTED', http: { status: 403 } },
        },
      );
    },
  };
}

/**
 * The mutation fields an operation will execute: fragments, inline fragments and @skip/@include
 * resolved exactly as execution resolves them (graphql-js collectFields), one per response key,
 * so `a0: placeOrder … a14: placeOrder` hidden in a fragment counts 15. 0 for queries and
 * subscriptions, and for operations whose variables do not coerce (execution refuses those before
 * any field runs).
 */
export function mutationFieldCount(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): number {
  const operation = getOperationAST(document, operationName ?? undefined);
  const mutationType = schema.getMutationType();
  if (operation?.operation !== 'mutation' || !mutationType) return 0;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
  if (coerced.errors) return 0;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return collectFields(schema, fragments, coerced.coerced, mutationType, operation.selectionSet).size;
}

/** Runs for every operation executed: each of a batch, and each over graphql-ws, as well as HTTP. */
function mutationRateLimit(limiter: MutationRateLimiter): Plugin {
  return {
    // Synchronous for queries (no promise on the hot path); only a mutation waits for the limiter.
    onExecute: ({ args, setResultAndStopExecution }) => {
      const fields = mutationFieldCount(
        args.schema,
        args.document as DocumentNode,
        args.operationName,
        args.variableValues as Record<string, unknown> | undefined,
      );
      if (fields === 0) return undefined;
      const context = args.contextValue as Partial<GatewayContext>;
      const client = context.scope ? clientKey(context.scope.actor, context.clientAddress) : 'unknown';
      return limiter.take(client, fields).then((retryAfterSeconds) => {
        if (retryAfterSeconds === 0) return;
        setResultAndStopExecution({
          errors: [new GraphQLError('Too many mutations; slow down', { extensions: { code: 'RATE_LIMITED', retryAfterSeconds } })],
        });
      });
    },
  };
}

export function clientKey(actor: GatewayContext['scope']['actor'], address: string | undefined): string {
  return actor.role === 'anonymous' ? `address:${address ?? 'unknown'}` : actorName(actor);
}

/**
 * Refuses bodies over the limit from their Content-Length, before reading them (cheaper than
 * counting bytes while parsing). A body without a length (chunked) is refused too: every GraphQL
 * client sends one.
 */
export function rejectOversizedBody(request: IncomingMessage, response: ServerResponse, maxBytes: number): boolean {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return false;
  const length = request.headers['content-length'];
  if (length === undefined) {
    if (request.headers['transfer-encoding'] === undefined) return false;
    return refuse(response, 411, 'LENGTH_REQUIRED', 'Send a Content-Length header');
  }
  if (!/^\d+$/.test(length)) return refuse(response, 400, 'BAD_REQUEST', 'Invalid Content-Length');
  if (Number(length) > maxBytes) return refuse(response, 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
  return false;
}

function refuse(response: ServerResponse, status: number, code: string, message: string): true {
  response.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  response.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
  return true;
}
