import { SpanKind, type Context } from '@opentelemetry/api';
import type { RecordedEvent } from '../../eventStore/port';
import { ATTR } from './attributes';
import { causedBy } from './causedBy';
import { linkTo, markFailed, startSpan } from './tracing';

/**
 * One subscription delivery as a span: its parent is the event that changed the document (so it
 * sits on that command's trace), and it links to the subscription operation's span (`subscription`,
 * captured when the client subscribed: a long-lived subscription is not the parent of every event's
 * delivery). It lasts from the change until the transport (graphql-ws or SSE) takes the value to
 * send. Returns `delivered` itself when tracing is off.
 */
export function tracedDelivery(
  delivered: Promise<unknown>,
  change: { readonly projection: string; readonly id: string; readonly event: RecordedEvent },
  subscription: Context | undefined,
): Promise<unknown> {
  const span = startSpan(`deliver ${change.projection}`, () => ({
    ...causedBy(change.event, { [ATTR.projection]: change.projection, [ATTR.documentId]: change.id }),
    kind: SpanKind.PRODUCER,
    links: linkTo(subscription),
  }));
  if (span === null) return delivered;
  return delivered.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      markFailed(span, error);
      span.end();
      throw error;
    },
  );
}
