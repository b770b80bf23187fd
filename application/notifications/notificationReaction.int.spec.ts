/**
 * The notification reaction through its real class, on both backends: the one command router, the
 * simulated mailer and its ledger, events read back from `$all` as the composition root's
 * subscription will feed them.
 */
import { randomUUID } from 'node:crypto';
import { fold } from '../../domain/decider';
import type { DeliveryOutcome, Notifier, OutgoingMessage } from '../../domain/notifications';
import { SIMULATED_UNDELIVERABLE_MARK, notificationAggregate, notificationStreamName } from '../../domain/notifications';
import { orderAggregate, type OrderCommand } from '../../domain/orders';
import { StreamNotFoundError } from '../../eventStore/errors';
import type { EventStore, Position, RecordedEvent } from '../../eventStore/port';
import { backends } from '../../test/support/backends';
import { CommandHandler, type CommandMetadata } from '../commandHandler';
import { newId } from '../ids';
import type { ReactionAction } from '../subscription/reaction';
import { NotificationReaction, messageIdFor } from './notificationReaction';
import { SimulatedMailer, mailLedgerStreamName } from './simulatedMailer';

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const meta = (): CommandMetadata => ({ commandId: newId(), correlationId: newId(), actor: 'test', occurredAt: '2026-01-01T00:00:00.000Z' });
const RELIABLE = { transientFailurePercent: 0, latencyMs: 0 };
const MAX_ATTEMPTS = 3;

async function readOrEmpty(store: EventStore, streamName: string): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(streamName);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}

describe.each(backends)('notification reaction, the real class ($name store)', (backend) => {
  let store: EventStore;
  let dispose: () => Promise<void>;
  let commands: CommandHandler;

  beforeEach(async () => {
    ({ store, dispose } = await backend.create());
    commands = new CommandHandler(store);
  });
  afterEach(async () => {
    await store.close();
    await dispose();
  });

  const reaction = (notifier: Notifier = new SimulatedMailer(store, RELIABLE)) =>
    new NotificationReaction(store, commands, notifier, {
      logger: silent,
      maxAttempts: MAX_ATTEMPTS,
      retryDelayMs: 5,
      clock: () => '2026-01-01T00:00:01.000Z',
    });
  const order = (command: OrderCommand) => commands.handle(orderAggregate, command, meta());
  const placeOrder = async (customerId: string) => {
    const orderId = randomUUID();
    await order({
      type: 'PlaceOrder',
      orderId,
      customerId,
      paymentMethodToken: 'tok_visa',
      lines: [{ itemId: randomUUID(), sku: 'MUG-1', name: 'Mug', quantity: 1, unitPriceCents: 1200 }],
      deliveryAddress: null,
    });
    return orderId;
  };
  const confirm = async (orderId: string) => {
    await order({ type: 'MarkOrderStockReserved', orderId });
    await order({ type: 'ConfirmOrder', orderId });
  };
  /** As the reaction runner does (application/subscription/reactionRunner.ts): a failed action is tried again. */
  const actUntilDone = async (action: ReactionAction, attempts = 5) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await action(new AbortController().signal);
      } catch (error) {
        if (attempt >= attempts) throw error;
      }
    }
  };
  /** Feeds `$all` after `after` to the reaction, acting on each event; returns the last position fed. */
  const feed = async (subject: NotificationReaction, after: Position | null = null, act = true) => {
    const events = await store.readAll(after === null ? {} : { fromPosition: after });
    let last = after;
    for (const event of events) {
      if (after !== null && event.position <= after) continue;
      const action = subject.fold(event);
      if (act && action !== null) await actUntilDone(action);
      last = event.position;
    }
    return last;
  };
  const eventOf = async (orderId: string, type: string) => {
    const event = (await store.readStream(`order-${orderId}`)).find((recorded) => recorded.type === type);
    if (!event) throw new Error(`no ${type} on order ${orderId}`);
    return event;
  };
  const notificationEvents = async (messageId: string) =>
    (await readOrEmpty(store, notificationStreamName(messageId))).map((event) => ({ type: event.type, data: event.data }));
  const timesSent = async (messageId: string) =>
    (await readOrEmpty(store, mailLedgerStreamName(messageId))).filter((attempt) => attempt.data.outcome === 'sent').length;

  it('tells the customer their order is confirmed, once, even when every event is handled again', async () => {
    const orderId = await placeOrder('customer-1');
    await confirm(orderId);
    const subject = reaction();
    await feed(subject);
    const messageId = messageIdFor(await eventOf(orderId, 'OrderConfirmed'));
    expect(await notificationEvents(messageId)).toEqual([
      {
        type: 'NotificationRequested',
        data: expect.objectContaining({ messageId, customerId: 'customer-1', orderId, kind: 'orderConfirmed' }),
      },
      { type: 'NotificationSent', data: { messageId, customerId: 'customer-1', attempt: 1, deliveryReference: `sim-mail_${messageId}` } },
    ]);

    // A crash before the checkpoint: a fresh reaction acts on the same history again, and appends nothing.
    const recorded = (await store.readAll()).length;
    await feed(reaction());
    expect((await store.readAll()).length).toBe(recorded);
    expect(await notificationEvents(messageId)).toHaveLength(2);
    expect(await timesSent(messageId)).toBe(1);
  });

  it('tells the customer why the order was cancelled, and when it shipped', async () => {
    const cancelled = await placeOrder('customer-2');
    await order({ type: 'CancelOrder', orderId: cancelled, reason: 'changed my mind', cancelledBy: 'customer' });
    const shipped = await placeOrder('customer-2');
    await confirm(shipped);
    await order({ type: 'ShipOrder', orderId: shipped });
    await feed(reaction());

    const [cancelMessage] = await notificationEvents(messageIdFor(await eventOf(cancelled, 'OrderCancelled')));
    expect(cancelMessage?.data).toMatchObject({ kind: 'orderCancelled', customerId: 'customer-2', orderId: cancelled });
    expect(cancelMessage?.data.body).toContain('changed my mind');
    const shipMessage = await notificationEvents(messageIdFor(await eventOf(shipped, 'OrderShipped')));
    expect(shipMessage.map((event) => event.type)).toEqual(['NotificationRequested', 'NotificationSent']);
    expect(shipMessage[0]?.data).toMatchObject({ kind: 'orderShipped', customerId: 'customer-2' });
  });

  it('asks for nothing when an order is placed, reserved or rejected', async () => {
    const rejected = await placeOrder('customer-3');
    await order({ type: 'RejectOrder', orderId: rejected, reason: 'MUG-1 is out of stock' });
    const reserved = await placeOrder('customer-3');
    await order({ type: 'MarkOrderStockReserved', orderId: reserved });
    const before = (await store.readAll()).length;
    await feed(reaction());
    expect((await store.readAll()).length).toBe(before);
  });

  it('records each failed attempt and gives up after the last, never sending', async () => {
    const orderId = await placeOrder(`customer-${SIMULATED_UNDELIVERABLE_MARK}`);
    await confirm(orderId);
    await feed(reaction());
    const messageId = messageIdFor(await eventOf(orderId, 'OrderConfirmed'));
    const events = await notificationEvents(messageId);
    expect(events.map((event) => event.type)).toEqual([
      'NotificationRequested',
      'NotificationDeliveryFailed',
      'NotificationDeliveryFailed',
      'NotificationDeliveryFailed',
      'NotificationGivenUp',
    ]);
    expect(events.slice(1, 4).map((event) => [event.data.attempt, event.data.error])).toEqual([
      [1, 'mailbox unavailable'],
      [2, 'mailbox unavailable'],
      [3, 'mailbox unavailable'],
    ]);
    expect(events[4]?.data).toMatchObject({ attempts: MAX_ATTEMPTS, lastError: 'mailbox unavailable' });
    expect(await timesSent(messageId)).toBe(0);

    // Given up is final: handling the history again tries nothing more.
    await feed(reaction());
    expect(await readOrEmpty(store, mailLedgerStreamName(messageId))).toHaveLength(MAX_ATTEMPTS);
  });

  it('sends once when the answer to a sent message was lost, and records the first delivery', async () => {
    const mailer = new SimulatedMailer(store, RELIABLE);
    let lostAnswers = 1;
    const losingFirstAnswer: Notifier = {
      async send(message: OutgoingMessage): Promise<DeliveryOutcome> {
        const outcome = await mailer.send(message);
        if (lostAnswers-- > 0) throw new Error('connection reset before the answer arrived');
        return outcome;
      },
    };
    const orderId = await placeOrder('customer-4');
    await confirm(orderId);
    await feed(reaction(losingFirstAnswer));
    const messageId = messageIdFor(await eventOf(orderId, 'OrderConfirmed'));
    expect((await notificationEvents(messageId)).map((event) => event.type)).toEqual(['NotificationRequested', 'NotificationSent']);
    expect(await timesSent(messageId)).toBe(1);
    expect(mailer.sentCount).toBe(1);
  });

  it('learns the customer from history it does not act on, and acts on what follows', async () => {
    const orderId = await placeOrder('customer-5');
    await confirm(orderId);
    const subject = reaction();
    // Up to here was acted on before a restart: replayed only to rebuild what the reaction knows.
    const checkpoint = await feed(subject, null, false);
    const confirmedMessage = messageIdFor(await eventOf(orderId, 'OrderConfirmed'));
    expect(await notificationEvents(confirmedMessage)).toEqual([]);

    await order({ type: 'ShipOrder', orderId });
    await feed(subject, checkpoint);
    const shippedMessage = messageIdFor(await eventOf(orderId, 'OrderShipped'));
    expect((await notificationEvents(shippedMessage))[0]?.data).toMatchObject({ customerId: 'customer-5', kind: 'orderShipped' });
    expect(subject.status.openOrders).toBe(0);
  });

  it('stops on the signal before the event is done, so whoever runs next acts on it', async () => {
    const orderId = await placeOrder('customer-6');
    await confirm(orderId);
    const controller = new AbortController();
    const unreachable: Notifier = {
      send: async () => {
        controller.abort();
        throw new Error('mail service unreachable');
      },
    };
    const subject = reaction(unreachable);
    const confirmed = await eventOf(orderId, 'OrderConfirmed');
    for (const event of await store.readAll()) {
      const action = subject.fold(event);
      // The runner retries a failed action until it succeeds or its signal stops it: here, stopped.
      if (action !== null) await expect(action(controller.signal)).rejects.toThrow('mail service unreachable');
      if (event.id === confirmed.id) break;
    }
    expect(controller.signal.aborted).toBe(true);
    const messageId = messageIdFor(await eventOf(orderId, 'OrderConfirmed'));
    const state = fold(
      notificationAggregate.decider,
      (await notificationEvents(messageId)).map((event) => event as Parameters<typeof notificationAggregate.decider.evolve>[1]),
    );
    expect(state.status).toBe('requested');

    await feed(reaction());
    expect(await timesSent(messageId)).toBe(1);
  });
});
