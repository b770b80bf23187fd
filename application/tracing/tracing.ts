/**
 * The spans the shop's own code makes, on `@opentelemetry/api` only: the SDK (provider, exporter,
 * sampler) is the composition root's business (server/tracing.ts), which switches tracing on here.
 *
 * Off by default, and off means off: every helper first asks `activeTracer` (one null check) and then
 * runs the work as it is. No span, no context object, no metadata is built unless tracing is on, so
 * the request path costs what it cost before tracing existed.
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanKind,
  type Tracer,
} from '@opentelemetry/api';

let activeTracer: Tracer | null = null;

/** Called by the composition root once a tracer provider is registered; `null` switches tracing off again. */
export function useTracer(tracer: Tracer | null): void {
  activeTracer = tracer;
}

export function isTracing(): boolean {
  return activeTracer !== null;
}

export interface TracedSpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** The span's parent; the active context when omitted. */
  readonly parent?: Context | undefined;
  readonly links?: Link[];
}

/**
 * Runs `work` in a new active span when tracing is on (its children nest under it), else runs it
 * as it is with `undefined`. `options` is a function so that nothing of it is built when tracing is off.
 * A thrown error marks the span failed and is rethrown.
 */
export function inSpan<T>(name: string, work: (span: Span | undefined) => Promise<T>, options?: () => TracedSpanOptions): Promise<T> {
  const tracer = activeTracer;
  if (tracer === null) return work(undefined);
  const { parent, ...start } = options?.() ?? {};
  return tracer.startActiveSpan(name, start, parent ?? context.active(), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** `inSpan` for synchronous work (a decision, a projection's reducer). */
export function inSpanSync<T>(name: string, work: (span: Span | undefined) => T, options?: () => TracedSpanOptions): T {
  const tracer = activeTracer;
  if (tracer === null) return work(undefined);
  const { parent, ...start } = options?.() ?? {};
  return tracer.startActiveSpan(name, start, parent ?? context.active(), (span) => {
    try {
      return work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span that ends later, elsewhere (e.g. when a subscriber takes a value); null when tracing is off. */
export function startSpan(name: string, options: () => TracedSpanOptions): Span | null {
  const tracer = activeTracer;
  if (tracer === null) return null;
  const { parent, ...start } = options();
  return tracer.startSpan(name, start, parent ?? context.active());
}

export function markFailed(span: Span, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  span.recordException(error instanceof Error ? error : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** The W3C trace context keys an event's metadata carries. */
export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

export interface TraceContextMetadata {
  readonly traceparent: string;
  readonly tracestate?: string;
}

/**
 * The active span's W3C trace context (through the registered propagator), to store in an event's
 * metadata; null when tracing is off or no span is sampled here. Only `traceparent`/`tracestate`
 * are kept: baggage is the request's, not the event's.
 */
export function activeTraceContext(): TraceContextMetadata | null {
  if (activeTracer === null) return null;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const traceparent = carrier[TRACEPARENT];
  if (traceparent === undefined) return null;
  const tracestate = carrier[TRACESTATE];
  return tracestate === undefined || tracestate === '' ? { traceparent } : { traceparent, tracestate };
}

/**
 * The trace context an event was written in (its metadata's `traceparent`), as a parent for work
 * done because of it; undefined when it carries none (written with tracing off) or tracing is off.
 */
export function traceContextOf(metadata: { readonly [key: string]: unknown }): Context | undefined {
  if (activeTracer === null) return undefined;
  const traceparent = metadata[TRACEPARENT];
  if (typeof traceparent !== 'string') return undefined;
  const tracestate = metadata[TRACESTATE];
  const carrier: Record<string, string> = typeof tracestate === 'string' ? { traceparent, tracestate } : { traceparent };
  const extracted = propagation.extract(ROOT_CONTEXT, carrier);
  return trace.getSpanContext(extracted) === undefined ? undefined : extracted;
}

/** A link to the span active in `linked` (e.g. the subscription operation a delivery belongs to), if any. */
export function linkTo(linked: Context | undefined): Link[] {
  const spanContext = linked === undefined ? undefined : trace.getSpanContext(linked);
  return spanContext === undefined ? [] : [{ context: spanContext }];
}

/** The active context, to remember for later spans (links, parents); undefined when tracing is off. */
export function capturedContext(): Context | undefined {
  return activeTracer === null ? undefined : context.active();
}
