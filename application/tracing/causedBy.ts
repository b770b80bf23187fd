import { SpanKind } from '@opentelemetry/api';
import type { RecordedEvent } from '../../eventStore/port';
import { ATTR } from './attributes';
import { traceContextOf, type TracedSpanOptions } from './tracing';

/**
 * Span options for work an event caused (a reaction, a projection update, a delivery): its parent is
 * the context the event was written in, read back from the event's metadata. So the work continues
 * the trace of the command that wrote the event, however much later and on whichever instance it
 * runs (after a restart, on the instance that took the lease over). An event written with tracing
 * off starts a trace of its own.
 */
export function causedBy(event: RecordedEvent, attributes: TracedSpanOptions['attributes'] = {}): TracedSpanOptions {
  return {
    kind: SpanKind.CONSUMER,
    parent: traceContextOf(event.metadata),
    attributes: {
      [ATTR.eventType]: event.type,
      [ATTR.eventId]: event.id,
      [ATTR.streamName]: event.streamName,
      [ATTR.revision]: event.revision,
      [ATTR.position]: event.position.toString(),
      ...attributes,
    },
  };
}
