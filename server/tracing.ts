/**
 * The OpenTelemetry trace SDK, set up from the standard `OTEL_*` variables and nothing else.
 *
 * On when `OTEL_TRACES_EXPORTER=otlp` or an OTLP endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT`,
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, unless `OTEL_SDK_DISABLED=true` or
 * `OTEL_TRACES_EXPORTER=none`. Off by default: then no provider is registered, the API stays the
 * no-op one, and the shop's span helpers (application/tracing) do nothing at all.
 *
 * When on: a NodeTracerProvider (AsyncLocalStorage context, W3C trace-context propagator) named by
 * `OTEL_SERVICE_NAME` (default `eventshop-gateway`; `OTEL_RESOURCE_ATTRIBUTES` adds to it), the
 * sampler the SDK reads from `OTEL_TRACES_SAMPLER`/`OTEL_TRACES_SAMPLER_ARG` (default: parent-based
 * always-on), and a batching OTLP/HTTP exporter that reads its own `OTEL_EXPORTER_OTLP_*` variables
 * (endpoint, headers, timeout, compression).
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { useTracer } from '../application/tracing/tracing';

export const DEFAULT_SERVICE_NAME = 'eventshop-gateway';

/** Also the tracer's (instrumentation scope's) name. */
export const TRACER_NAME = 'eventshop-gateway';

export type TracingSettings = { readonly enabled: false } | { readonly enabled: true; readonly serviceName: string };

export function tracingSettingsFromEnv(env: NodeJS.ProcessEnv): TracingSettings {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return { enabled: false };
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  if (exporters.includes('none')) return { enabled: false };
  const endpointSet = [env.OTEL_EXPORTER_OTLP_ENDPOINT, env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT].some((value) => !!value?.trim());
  if (!exporters.includes('otlp') && !endpointSet) return { enabled: false };
  return { enabled: true, serviceName: env.OTEL_SERVICE_NAME?.trim() || DEFAULT_SERVICE_NAME };
}

export interface Tracing {
  readonly provider: NodeTracerProvider;
  /** Sends what is still buffered. */
  flush(): Promise<void>;
  /** Flushes, then unregisters everything: the API is the no-op one again. */
  shutdown(): Promise<void>;
}

/** Registers a provider with these span processors and switches the shop's spans on. */
export function startTracing(options: { readonly serviceName: string; readonly spanProcessors: SpanProcessor[] }): Tracing {
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName })),
    spanProcessors: options.spanProcessors,
  });
  provider.register();
  useTracer(trace.getTracer(TRACER_NAME));
  return {
    provider,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      useTracer(null);
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** Tracing as the environment says: an OTLP/HTTP exporter behind a batching processor, or null when off. */
export function startTracingFromEnv(env: NodeJS.ProcessEnv = process.env): Tracing | null {
  const settings = tracingSettingsFromEnv(env);
  if (!settings.enabled) return null;
  return startTracing({ serviceName: settings.serviceName, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
}
