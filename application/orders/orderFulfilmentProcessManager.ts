/**
 * The order-fulfilment process manager, a reaction on the gateway's single `$all` subscription
 * (application/subscription/): it folds order, stock and payment events into each order's
 * fulfilment state and reacts with commands through the one command router (reserve stock →
 * request payment → charge → confirm; reject or cancel with compensation).
 *
 * Crash safety and failover are the reaction runner's: it feeds every event from the beginning,
 * acts only after the durable checkpoint and only on the instance holding the lease. Every command
 * id derives from the triggering event's id, so acting on an event again appends nothing new; a
 * charge is made only while the payment stream still says "requested", and the provider is
 * idempotent per payment id.
 */
import { assertNever } from '../../domain/decider';
import { DomainError } from '../../domain/errors';
import { inventoryItemAggregate } from '../../domain/inventory';
import type { Fulfilment, FulfilmentCommand, RecordedFulfilmentEvent } from '../../domain/orderFulfilment';
import {
  fulfilmentOrderId,
  isFulfilmentEvent,
  isReservationFailureCode,
  reactToChargeOutcome,
  reactToEvent,
  reactToReservationFailure,
} from '../../domain/orderFulfilment';
import { orderAggregate } from '../../domain/orders';
import type { PaymentProvider, PaymentRequested } from '../../domain/payments';
import { evolvePayment, initialPayment, isPaymentEvent, paymentAggregate, paymentStreamName } from '../../domain/payments';
import { StreamNotFoundError } from '../../eventStore/errors';
import type { EventStore, RecordedEvent } from '../../eventStore/port';
import { checkShopEvent } from '../../projections/eventChecks';
import type { Logger } from '../../projections/projectionRunner';
import type { Reaction, ReactionAction } from '../subscription/reaction';
import type { CommandHandler, CommandMetadata } from '../commandHandler';
import { uuidV5 } from '../ids';
import { ATTR } from '../tracing/attributes';
import { causedBy } from '../tracing/causedBy';
import { inSpan } from '../tracing/tracing';

export const ORDER_FULFILMENT = 'orderFulfilment';
const ACTOR = `process:${ORDER_FULFILMENT}`;

export interface OrderFulfilmentOptions {
  readonly logger: Logger;
}

export class OrderFulfilmentProcessManager implements Reaction {
  readonly name = ORDER_FULFILMENT;
  private readonly states = new Map<string, Fulfilment>();
  private poisonEvents = 0;

  constructor(
    private readonly store: EventStore,
    private readonly commands: CommandHandler,
    private readonly payments: PaymentProvider,
    private readonly options: OrderFulfilmentOptions,
  ) {}

  get status() {
    return { orders: this.states.size, poisonEvents: this.poisonEvents };
  }

  fold(event: RecordedEvent): ReactionAction | null {
    if (!isFulfilmentEvent(event)) return null;
    // Its type names a fulfilment event; its data is checked against that type's schema before any reaction reads it.
    const recorded: RecordedFulfilmentEvent = event;
    const orderId = fulfilmentOrderId(recorded);
    let reaction;
    try {
      // One its schema refuses (e.g. a version newer than this code knows) is never read as a shape it is not.
      const refusal = checkShopEvent(event);
      if (refusal !== null) throw new Error(refusal);
      reaction = reactToEvent(recorded, this.states.get(orderId));
    } catch (error) {
      // A malformed event cannot be reacted to; retrying would never succeed. It is logged and left.
      this.poisonEvents += 1;
      this.options.logger.error('order fulfilment cannot react to an event; skipped', {
        eventId: event.id,
        eventType: event.type,
        correlationId: event.metadata.correlationId,
        error: String(error),
      });
      return null;
    }
    const { state, commands } = reaction;
    this.states.set(orderId, state);
    // The reaction continues the trace of the command that wrote the event (its metadata's trace context).
    return () =>
      inSpan(
        `react ${event.type}`,
        async () => {
          await this.dispatchAll(commands, event, state);
          if (recorded.type === 'PaymentRequested') await this.charge(recorded, event, state);
        },
        () => causedBy(event, { [ATTR.processManager]: ORDER_FULFILMENT }),
      );
  }

  private async dispatchAll(commands: readonly FulfilmentCommand[], trigger: RecordedEvent, state: Fulfilment): Promise<void> {
    for (const command of commands) {
      try {
        await this.dispatch(command, trigger);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // A refusal is final: the domain said no. Only a failed reservation needs compensation here;
        // every other refusal is already answered by the event that caused it.
        if (command.command.type === 'ReserveStock' && isReservationFailureCode(error.code) && state.status !== 'notStarted') {
          const compensation = reactToReservationFailure(
            { failedCommandId: command.commandId, orderId: command.command.orderId, itemId: command.command.itemId, code: error.code },
            state,
          );
          await this.dispatchAll(compensation, trigger, state);
          return;
        }
        this.options.logger.info('a fulfilment command was refused', {
          commandType: command.command.type,
          streamName: command.streamName,
          code: error.code,
          reason: error.message,
        });
      }
    }
  }

  private dispatch(command: FulfilmentCommand, trigger: RecordedEvent) {
    const metadata: CommandMetadata = {
      // Unique per (triggering event, target stream, step): `command.commandId` is `<trigger id>:<step>`.
      commandId: uuidV5(`${ORDER_FULFILMENT}/${command.commandId}/${command.streamName}`),
      correlationId: typeof trigger.metadata.correlationId === 'string' ? trigger.metadata.correlationId : trigger.id,
      causationId: trigger.id,
      actor: ACTOR,
      occurredAt: new Date().toISOString(),
    };
    switch (command.target) {
      case 'inventoryItem':
        return this.commands.handle(inventoryItemAggregate, command.command, metadata);
      case 'order':
        return this.commands.handle(orderAggregate, command.command, metadata);
      case 'payment':
        return this.commands.handle(paymentAggregate, command.command, metadata);
      default:
        return assertNever(command);
    }
  }

  /** Charges once per payment: skipped when the payment stream already holds an outcome. */
  private async charge(requested: PaymentRequested & { id: string }, trigger: RecordedEvent, state: Fulfilment): Promise<void> {
    const { paymentId, amountCents, paymentMethodToken } = requested.data;
    if ((await this.paymentStatus(paymentId)) !== 'requested') return;
    const outcome = await this.payments.charge({ paymentId, amountCents, paymentMethodToken });
    await this.dispatchAll(reactToChargeOutcome(requested, outcome), trigger, state);
  }

  private async paymentStatus(paymentId: string): Promise<string> {
    try {
      const events = await this.store.readStream(paymentStreamName(paymentId));
      return events
        .map((event) => ({ type: event.type, data: event.data }) as { type: string; data: unknown })
        .filter(isPaymentEvent)
        .reduce(evolvePayment, initialPayment()).status;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 'notRequested';
      throw error;
    }
  }
}
