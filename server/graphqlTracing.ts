/**
 * The GraphQL operation's span (@envelop/opentelemetry): one server span per query, mutation or
 * subscription, made active while it executes, so the command spans of a mutation are its children.
 * A caller that sends a W3C `traceparent` header (HTTP, SSE) gets the operation's span as the child
 * of its own. No plugin at all when tracing is off.
 */
import { setCurrentOtelContext, useOpenTelemetry } from '@envelop/opentelemetry';
import { propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import { isTracing } from '../application/tracing/tracing';
import { TRACER_NAME } from './tracing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- envelop plugins are typed for other contexts than ours
export function graphqlTracing(): Plugin<any>[] {
  if (!isTracing()) return [];
  return [
    // Before the OpenTelemetry plugin: it takes the context set here as the operation span's parent.
    useCallerTraceContext(),
    useOpenTelemetry(
      // No resolver spans (one per field would swamp the trace), no variables or results (they may hold customer data).
      { resolvers: false, variables: false, result: false },
      // Our registered provider: without one the plugin would register a console exporter of its own.
      trace.getTracerProvider(),
      SpanKind.SERVER,
      {},
      TRACER_NAME,
    ),
  ];
}

/** The request's `traceparent`/`tracestate` headers, as the parent of the operation's span (over WebSocket there is no request). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
function useCallerTraceContext(): Plugin<any> {
  const adopt = ({ args }: { readonly args: { readonly contextValue: unknown } }) => {
    const request = (args.contextValue as { readonly request?: Request }).request;
    const traceparent = request?.headers.get('traceparent');
    if (!request || !traceparent) return;
    const tracestate = request.headers.get('tracestate');
    setCurrentOtelContext(args.contextValue, propagation.extract(ROOT_CONTEXT, tracestate ? { traceparent, tracestate } : { traceparent }));
  };
  return { onExecute: adopt, onSubscribe: adopt };
}
