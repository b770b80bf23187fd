/**
 * OpenTelemetry traces end to end (issue 14): one `placeOrder` over HTTP is one trace, from the
 * mutation's GraphQL span through every asynchronous step of the fulfilment (reserve stock, payment
 * request, the payment call, capture, confirmation), the projection updates and the subscription
 * deliveries, on every backend. The trace is carried between the steps by the trace context each
 * command stores in its events' metadata. Spans are caught with the SDK's in-memory exporter in a
 * provider registered the way the gateway registers its own (server/tracing.ts).
 */
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { context, trace } from '@opentelemetry/api';
import { isTracing } from '../../application/tracing/tracing';
import type { EventStore } from '../../eventStore/port';
import type { Gateway } from '../../server/gateway';
import { startTracing, startTracingFromEnv, type Tracing } from '../../server/tracing';
import { backends } from '../support/backends';
import { createItem, graphql, startTestGateway, take, testAdminToken, wsClient } from '../support/gatewayHarness';
import { CONFIRMED_ORDER_EVENT_TYPES, checkInItems } from '../support/shopSetup';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

describe.each(backends)('tracing ($name store)', (backend) => {
  let gateway: Gateway | undefined;
  let store: EventStore;
  let dispose: () => Promise<void>;
  let tracing: Tracing | null = null;
  let exporter: InMemorySpanExporter;

  async function start(traced: boolean) {
    if (traced) {
      exporter = new InMemorySpanExporter();
      tracing = startTracing({ serviceName: 'eventshop-test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
    }
    ({ store, dispose } = await backend.create());
    gateway = await startTestGateway(store, { PAYMENT_LATENCY_MS: '10' });
  }

  afterEach(async () => {
    await gateway?.stop();
    await dispose();
    await tracing?.shutdown();
    tracing = null;
    gateway = undefined;
  });

  async function stockedItem(sku: string, stock: number) {
    const { item } = await createItem(gateway!.url, sku, `Item ${sku}`, { unitPriceCents: 1500 });
    const checkedIn = await checkInItems(gateway!.url, item.id, stock);
    expect(checkedIn.errors).toBeUndefined();
    return item.id as string;
  }

  /** Places an order while following the customer's orders over graphql-ws; resolves once it is confirmed. */
  async function placeConfirmedOrder(customerId: string, itemId: string): Promise<string> {
    const client = wsClient(gateway!.url);
    try {
      const feed = client.iterate<{ customerOrders: { id: string; status: string } }>({
        query: `subscription CustomerOrders { customerOrders(customerId: "${customerId}") { id status } }`,
      });
      const first = take(feed, 1, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const placed = await graphql(
        gateway!.url,
        `
          mutation PlaceOrder($input: PlaceOrderInput!) {
            placeOrder(input: $input) {
              order {
                id
                status
              }
            }
          }
        `,
        { input: { customerId, lines: [{ itemId, quantity: 2 }], paymentMethodToken: 'tok_visa' } },
      );
      expect(placed.errors).toBeUndefined();
      const seen = [...(await first)];
      while (seen[seen.length - 1]?.data?.customerOrders.status !== 'CONFIRMED') seen.push(...(await take(feed, 1, 15_000)));
      await feed.return?.();
      return placed.data!.placeOrder.order.id as string;
    } finally {
      await client.dispose();
    }
  }

  async function orderEvents(orderId: string, itemId: string) {
    const all = await store.readAll();
    return all.filter(
      (event) => [`order-${orderId}`, `payment-${orderId}`].includes(event.streamName) || event.streamName.endsWith(itemId),
    );
  }

  it('follows one placeOrder as one trace: mutation → reserve stock → payment request → payment call → capture → confirmation', async () => {
    await start(true);
    const itemId = await stockedItem('TRACE-MUG', 10);
    exporter.reset();

    const orderId = await placeConfirmedOrder('trace-alice', itemId);

    const spans = new SpanTree(exporter);
    const mutation = await spans.find('mutation.PlaceOrder', null);
    const traceId = mutation.spanContext().traceId;
    expect(mutation.parentSpanContext).toBeUndefined();

    const placeOrder = await spans.find('command PlaceOrder', mutation);
    expect(placeOrder.attributes).toMatchObject({
      'eventshop.command.type': 'PlaceOrder',
      'eventshop.stream.name': `order-${orderId}`,
      'eventshop.command.outcome': 'appended',
      'eventshop.stream.revision': 0,
    });
    await spans.find('decide PlaceOrder', placeOrder);
    const append = await spans.find('append order', placeOrder);
    expect(append.attributes).toMatchObject({
      'eventshop.stream.name': `order-${orderId}`,
      'eventshop.stream.expected_revision': 'no_stream',
      'eventshop.stream.revision': 0,
      'eventshop.event.types': ['OrderPlaced'],
    });
    await spans.find('project orderView', placeOrder);

    // The asynchronous steps, each the child of the command that wrote the event it reacts to.
    const reactPlaced = await spans.find('react OrderPlaced', placeOrder);
    const reserve = await spans.find('command ReserveStock', reactPlaced);
    const reactReserved = await spans.find('react StockReserved', reserve);
    const markReserved = await spans.find('command MarkOrderStockReserved', reactReserved);
    const reactOrderReserved = await spans.find('react OrderStockReserved', markReserved);
    const requestPayment = await spans.find('command RequestPayment', reactOrderReserved);
    const reactRequested = await spans.find('react PaymentRequested', requestPayment);
    const charge = await spans.find('payment charge', reactRequested);
    expect(charge.attributes).toMatchObject({ 'eventshop.payment.id': orderId, 'eventshop.payment.outcome': 'captured' });
    const capture = await spans.find('command RecordPaymentCaptured', reactRequested);
    const reactCaptured = await spans.find('react PaymentCaptured', capture);
    const confirm = await spans.find('command ConfirmOrder', reactCaptured);
    expect(confirm.attributes).toMatchObject({ 'eventshop.command.outcome': 'appended', 'eventshop.stream.name': `order-${orderId}` });
    await spans.find('project orderView', confirm);

    // The subscriber's delivery of the confirmed order: caused by ConfirmOrder's event, linked to the subscription's own span.
    const delivery = await spans.find('deliver orderView', confirm);
    const subscription = await spans.find('subscription.CustomerOrders', null);
    expect(delivery.links.map((link) => link.context.spanId)).toEqual([subscription.spanContext().spanId]);

    // One trace: everything the order caused carries the mutation's trace id.
    for (const span of [placeOrder, reactPlaced, reserve, requestPayment, charge, capture, confirm, delivery]) {
      expect(span.spanContext().traceId).toBe(traceId);
    }
    // Every event the order caused carries its writer's trace context, in that trace.
    const events = await orderEvents(orderId, itemId);
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining([...CONFIRMED_ORDER_EVENT_TYPES]));
    const orderPlacedAt = events.find((event) => event.type === 'OrderPlaced')!.position;
    for (const event of events.filter((e) => e.position >= orderPlacedAt)) {
      const [, eventTraceId] = TRACEPARENT.exec(String(event.metadata.traceparent)) ?? [];
      expect({ type: event.type, traceId: eventTraceId }).toEqual({ type: event.type, traceId });
    }
  });

  it("continues the order's trace after a restart: the process manager's reaction is the child of the command that wrote the event", async () => {
    // The instance that takes the order runs no process manager, then stops: its spans are gone with it.
    exporter = new InMemorySpanExporter();
    tracing = startTracing({ serviceName: 'eventshop-test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
    let reopen: () => Promise<EventStore>;
    ({ store, dispose, reopen } = await backend.create());
    gateway = await startTestGateway(store, { PROCESS_MANAGER: 'false' });
    const itemId = await stockedItem('RESTART-MUG', 10);
    const placed = await graphql(
      gateway.url,
      `
        mutation PlaceOrder($input: PlaceOrderInput!) {
          placeOrder(input: $input) {
            order {
              id
              status
            }
          }
        }
      `,
      { input: { customerId: 'restart-carol', lines: [{ itemId, quantity: 1 }], paymentMethodToken: 'tok_visa' } },
    );
    expect(placed.errors).toBeUndefined();
    const orderId = placed.data!.placeOrder.order.id as string;
    const firstInstance = new SpanTree(exporter);
    const placeOrder = await firstInstance.find('command PlaceOrder', await firstInstance.find('mutation.PlaceOrder', null));
    await gateway.stop();
    await tracing.shutdown();

    // A new process (a new provider, an empty exporter) on the same data, with the process manager.
    exporter = new InMemorySpanExporter();
    tracing = startTracing({ serviceName: 'eventshop-test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
    store = await reopen();
    gateway = await startTestGateway(store, { PAYMENT_LATENCY_MS: '10' });
    const spans = new SpanTree(exporter);
    // Only the parent's ids survive the restart, in OrderPlaced's metadata: the reaction hangs under them.
    const reactPlaced = await spans.find('react OrderPlaced', placeOrder);
    expect(reactPlaced.spanContext().traceId).toBe(placeOrder.spanContext().traceId);
    expect(reactPlaced.attributes).toMatchObject({
      'eventshop.stream.name': `order-${orderId}`,
      'eventshop.process_manager': 'orderFulfilment',
    });
    // And the rest of the order's steps, made by the new process, stay on that trace to the confirmation.
    for (const name of ['command RequestPayment', 'payment charge', 'command RecordPaymentCaptured', 'command ConfirmOrder']) {
      expect((await spans.named(name, 10_000)).spanContext().traceId).toBe(placeOrder.spanContext().traceId);
    }
  });

  it("continues a caller's trace: an HTTP request's traceparent header is the parent of the operation's span", async () => {
    await start(true);
    const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpanId = '00f067aa0ba902b7';
    const created = await graphql(
      gateway!.url,
      `
        mutation CreateCalledItem {
          createInventoryItem(input: { sku: "CALLER-1", name: "Called" }) {
            revision
          }
        }
      `,
      {},
      { traceparent: `00-${callerTraceId}-${callerSpanId}-01`, authorization: `Bearer ${await testAdminToken()}` },
    );
    expect(created.errors).toBeUndefined();
    const spans = new SpanTree(exporter);
    const mutation = await spans.named('mutation.CreateCalledItem');
    expect(mutation.spanContext().traceId).toBe(callerTraceId);
    expect(mutation.parentSpanContext).toMatchObject({ traceId: callerTraceId, spanId: callerSpanId, isRemote: true });
    await spans.find('command CreateInventoryItem', mutation);
  });

  it('makes no spans and writes no trace context when the OTEL_* variables do not switch it on', async () => {
    expect(startTracingFromEnv({})).toBeNull();
    await start(false);
    expect(isTracing()).toBe(false);
    const itemId = await stockedItem('UNTRACED-MUG', 10);
    const orderId = await placeConfirmedOrder('untraced-bob', itemId);
    const events = await orderEvents(orderId, itemId);
    expect(events.length).toBeGreaterThanOrEqual(6);
    for (const event of events)
      expect([event.type, event.metadata.traceparent, event.metadata.tracestate]).toEqual([event.type, undefined, undefined]);
    // The API is the no-op one: no provider was registered, nothing records.
    expect(trace.getTracer('probe').startSpan('probe', {}, context.active()).isRecording()).toBe(false);
  });
});

/** The exported spans, searched by name and parent; waits (bounded) for spans still open to end. */
class SpanTree {
  constructor(private readonly exporter: InMemorySpanExporter) {}

  /** The span `name` under any parent. */
  named(name: string, timeoutMs = 5000): Promise<ReadableSpan> {
    return this.find(name, undefined, timeoutMs);
  }

  /** The span `name` whose parent is `parent` (null: a root span; undefined: any). */
  async find(name: string, parent: ReadableSpan | null | undefined, timeoutMs = 5000): Promise<ReadableSpan> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.exporter.getFinishedSpans().find((span) => span.name === name && isChildOf(span, parent));
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.exporter
          .getFinishedSpans()
          .map((span) => `${span.name} (${span.spanContext().spanId} ← ${span.parentSpanContext?.spanId ?? 'root'})`);
        throw new Error(
          `no span "${name}" under ${parent ? `"${parent.name}" (${parent.spanContext().spanId})` : parent === null ? 'no parent' : 'any parent'}; spans: ${seen.join(', ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function isChildOf(span: ReadableSpan, parent: ReadableSpan | null | undefined): boolean {
  if (parent === undefined) return true;
  if (parent === null) return span.parentSpanContext === undefined;
  return span.parentSpanContext?.spanId === parent.spanContext().spanId && span.spanContext().traceId === parent.spanContext().traceId;
}
