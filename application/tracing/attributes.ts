/**
 * Attribute names of the shop's spans, under one `eventshop.` prefix so they never clash with the
 * OpenTelemetry semantic conventions (the GraphQL span's come from @envelop/opentelemetry).
 */
export const ATTR = {
  commandType: 'eventshop.command.type',
  commandId: 'eventshop.command.id',
  commandOutcome: 'eventshop.command.outcome',
  correlationId: 'eventshop.correlation_id',
  streamName: 'eventshop.stream.name',
  expectedRevision: 'eventshop.stream.expected_revision',
  revision: 'eventshop.stream.revision',
  position: 'eventshop.event.position',
  eventTypes: 'eventshop.event.types',
  eventType: 'eventshop.event.type',
  eventId: 'eventshop.event.id',
  projection: 'eventshop.projection',
  documentId: 'eventshop.document.id',
  processManager: 'eventshop.process_manager',
  paymentId: 'eventshop.payment.id',
  amountCents: 'eventshop.payment.amount_cents',
  paymentOutcome: 'eventshop.payment.outcome',
} as const;
