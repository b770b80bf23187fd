/**
 * What protects the gateway from hostile or careless clients: query limits (depth, aliases,
 * tokens, directives, cost) that never reveal the limit in their errors, a per-client mutation
 * rate limit, and a request-body limit checked on the Content-Length header before anything is read.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { actorName } from '../application/actor';
import type { GatewayContext } from '../application/context';
import type { GatewayConfig } from './config';
import { TokenBuckets } from './rateLimit';

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

export function securityPlugins(config: GatewayConfig): Plugin[] {
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
    // Browsers cannot send this header cross-site without a preflight: form posts and simple GETs are refused.
    useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'graphql-preflight'] }),
    mutationRateLimit(limits.mutationsPerMinute),
  ];
  if (!config.introspection) plugins.push(useDisableIntrospection());
  return plugins;
}

function mutationRateLimit(perMinute: number): Plugin {
  const buckets = new TokenBuckets(perMinute);
  return {
    onExecute: ({ args, setResultAndStopExecution }) => {
      const operation = (args.document as DocumentNode).definitions.find(
        (definition): definition is OperationDefinitionNode =>
          definition.kind === Kind.OPERATION_DEFINITION && (args.operationName == null || definition.name?.value === args.operationName),
      );
      if (operation?.operation !== 'mutation') return;
      const context = args.contextValue as Partial<GatewayContext>;
      const client = context.scope ? clientKey(context.scope.actor, context.clientAddress) : 'unknown';
      const retryAfterSeconds = buckets.take(client, operation.selectionSet.selections.length);
      if (retryAfterSeconds === 0) return;
      setResultAndStopExecution({
        errors: [new GraphQLError('Too many mutations; slow down', { extensions: { code: 'RATE_LIMITED', retryAfterSeconds } })],
      });
    },
  };
}

function clientKey(actor: GatewayContext['scope']['actor'], address: string | undefined): string {
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
