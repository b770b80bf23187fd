/**
 * The GraphQL operation's span (@envelop/opentelemetry): one server span per query, mutation or
 * subscription, made active while it executes, so the command spans of a mutation are its children.
 * No plugin at all when tracing is off.
 */
import { useOpenTelemetry } from '@envelop/opentelemetry';
import { SpanKind, trace } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import { isTracing } from '../application/tracing/tracing';
import { TRACER_NAME } from './tracing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- envelop plugins are typed for other contexts than ours
export function graphqlTracing(): Plugin<any>[] {
  if (!isTracing()) return [];
  return [
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
