/**
 * The order-fulfilment process manager: its own catch-up subscription to `$all`, reacting to
 * order, stock and payment events with commands (reserve stock → request payment → charge →
 * confirm; reject or cancel with compensation).
 *
 * Crash safety: the checkpoint marks the last event it has acted on. On start it replays `$all`
 * from the beginning to rebuild each order's fulfilment state, acting only on events after the
 * checkpoint. Every command id derives from the triggering event's id, so re-acting on an event
 * after a crash appends nothing new; a charge is made only while the payment stream still says
 * "requested", and the provider is idempotent per payment id.
 *
 * Failover: every instance may run it, but it is started only on the instance that holds the lease
 * (see lease.ts and the composition root) and stopped when that instance loses it. Each start
 * rebuilds the state from the beginning of `$all` before it acts on anything after the shared
 * checkpoint, so the instance that takes over acts on complete state; `mayAct` (the lease) is asked
 * before every action and every checkpoint write, so a holder whose lease lapsed waits instead.
 */
import { assertNever } from '../../domain/decider';
import { DomainError } from '../../domain/errors';
import { inventoryItemAggregate } from '../../domain/inventory';
import type { Fulfilment, FulfilmentCommand, FulfilmentInProgress, RecordedFulfilmentEvent } from '../../domain/orderFulfilment';
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
import type { EventStore, Position, RecordedEvent } from '../../eventStore/port';
import { checkShopEvent } from '../../projections/eventChecks';
import type { Logger } from '../../projections/projectionRunner';
import { sleep } from '../../projections/projectionRunner';
import type { EventStoreCheckpointStore } from '../checkpointStore';
import type { CommandHandler, CommandMetadata } from '../commandHandler';
import { uuidV5 } from '../ids';
import { ATTR } from '../tracing/attributes';
import { causedBy } from '../tracing/causedBy';
import { inSpan } from '../tracing/tracing';

export const ORDER_FULFILMENT = 'orderFulfilment';
const ACTOR = `process:${ORDER_FULFILMENT}`;

export interface OrderFulfilmentOptions {
  readonly logger: Logger;
  /** How often the checkpoint is written while events are being acted on. */
  readonly checkpointIntervalMs?: number;
  readonly retryDelayMs?: number;
  /** Asked before each action and checkpoint write (the lease); while false, acting waits. Default: always. */
  readonly mayAct?: () => boolean;
}

export class OrderFulfilmentProcessManager {
  private readonly states = new Map<string, Fulfilment>();
  private controller = new AbortController();
  private actedUpTo: Position | null = null;
  private lastActedOn: Position | null = null;
  private savedCheckpoint: Position | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private isCaughtUp = false;
  private poisonEvents = 0;

  constructor(
    private readonly store: EventStore,
    private readonly commands: CommandHandler,
    private readonly payments: PaymentProvider,
    private readonly checkpoints: EventStoreCheckpointStore,
    private readonly options: OrderFulfilmentOptions,
  ) {}

  /** Starts from a clean slate each time: state rebuilt from `$all`, acting after the shared checkpoint. */
  async start(): Promise<void> {
    if (this.loop) return;
    this.controller = new AbortController();
    this.states.clear();
    this.isCaughtUp = false;
    this.lastActedOn = null;
    this.actedUpTo = await this.checkpoints.load(ORDER_FULFILMENT);
    this.savedCheckpoint = this.actedUpTo;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    const loop = this.loop;
    if (!loop) return;
    this.controller.abort();
    await loop;
    this.loop = null;
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = null;
    await this.saveCheckpoint().catch((error: unknown) =>
      this.options.logger.warn('could not save the fulfilment checkpoint on stop', { error: String(error) }),
    );
  }

  private mayAct(): boolean {
    return this.options.mayAct?.() ?? true;
  }

  get status() {
    return {
      caughtUp: this.isCaughtUp,
      checkpoint: this.savedCheckpoint,
      lastActedOn: this.lastActedOn,
      orders: this.states.size,
      poisonEvents: this.poisonEvents,
    };
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    let resumeAfter: Position | null = null;
    while (!signal.aborted) {
      try {
        const subscription = this.store.subscribeToAll({ ...(resumeAfter === null ? {} : { fromPosition: resumeAfter }), signal });
        for await (const message of subscription) {
          if (message.kind === 'caughtUp') {
            this.isCaughtUp = true;
            continue;
          }
          await this.handle(message.event, signal);
          if (signal.aborted) return;
          resumeAfter = message.event.position;
        }
        if (signal.aborted) return;
      } catch (error) {
        if (signal.aborted) return;
        this.options.logger.warn('order fulfilment subscription failed; resubscribing', { error: String(error) });
      }
      await sleep(this.options.retryDelayMs ?? 200, signal);
    }
  }

  private async handle(event: RecordedEvent, signal: AbortSignal): Promise<void> {
    if (!isFulfilmentEvent(event)) return;
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
      return;
    }
    const { state, commands } = reaction;
    this.states.set(orderId, state);
    if (this.actedUpTo !== null && event.position <= this.actedUpTo) return;
    while (!this.mayAct() && !signal.aborted) await sleep(this.options.retryDelayMs ?? 200, signal);

    // Acting on one event is retried until it succeeds: every step in it is idempotent.
    // The reaction continues the trace of the command that wrote the event (its metadata's trace context).
    await inSpan(
      `react ${event.type}`,
      async () => {
        for (let attempt = 1; !signal.aborted; attempt += 1) {
          try {
            await this.dispatchAll(commands, event, state);
            if (recorded.type === 'PaymentRequested') await this.charge(recorded, event);
            break;
          } catch (error) {
            this.options.logger.warn('order fulfilment step failed; retrying', {
              eventId: event.id,
              eventType: event.type,
              attempt,
              error: String(error),
            });
            await sleep(Math.min(5000, (this.options.retryDelayMs ?? 200) * attempt), signal);
          }
        }
      },
      () => causedBy(event, { [ATTR.processManager]: ORDER_FULFILMENT }),
    );
    // Stopped before the action was known to be done: not recorded as acted on, so whoever runs next acts on it.
    if (signal.aborted) return;
    this.lastActedOn = event.position;
    this.scheduleCheckpoint();
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
  private async charge(requested: PaymentRequested & { id: string }, trigger: RecordedEvent): Promise<void> {
    const { paymentId, amountCents, paymentMethodToken } = requested.data;
    if ((await this.paymentStatus(paymentId)) !== 'requested') return;
    const outcome = await this.payments.charge({ paymentId, amountCents, paymentMethodToken });
    await this.dispatchAll(
      reactToChargeOutcome(requested, outcome),
      trigger,
      this.states.get(requested.data.orderId) as FulfilmentInProgress,
    );
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

  private scheduleCheckpoint(): void {
    if (this.checkpointTimer) return;
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = null;
      this.saveCheckpoint().catch((error: unknown) =>
        this.options.logger.warn('could not save the fulfilment checkpoint', { error: String(error) }),
      );
    }, this.options.checkpointIntervalMs ?? 250);
  }

  private async saveCheckpoint(): Promise<void> {
    const position = this.lastActedOn;
    if (position === null || (this.savedCheckpoint !== null && position <= this.savedCheckpoint)) return;
    if (!this.mayAct()) return;
    await this.checkpoints.save(ORDER_FULFILMENT, position);
    this.savedCheckpoint = position;
  }
}
