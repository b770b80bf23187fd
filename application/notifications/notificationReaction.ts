/**
 * The notification reaction: on OrderConfirmed, OrderCancelled and OrderShipped it requests a message
 * to the order's customer and delivers it through the `Notifier`, recording each failed attempt and
 * giving up after `maxAttempts` (domain/notifications).
 *
 * It is a Reaction on the gateway's single `$all` subscription (application/subscription/): it folds
 * every event from the beginning (learning each open order's customer from its OrderPlaced), and the
 * reaction runner acts on what it returns only past its checkpoint (`_checkpoint-notifications`) and
 * only on the instance holding its lease (`_lease-notifications`).
 *
 * Crash safety: the message id derives from the triggering event's id and every command id from the
 * message id (and the attempt), so acting on an event again appends nothing new; a message is sent
 * only while its stream says "requested", and the notifier is idempotent per message id, so a crash
 * between sending and recording the delivery never sends twice.
 */
import { fold } from '../../domain/decider';
import { DomainError } from '../../domain/errors';
import type { Notification, Notifier, OrderCustomers, OrderNotificationEvent, RequestNotification } from '../../domain/notifications';
import {
  evolveOrderCustomers,
  isOrderNotificationEvent,
  notificationAggregate,
  notificationRequestFor,
  notificationStreamName,
} from '../../domain/notifications';
import { StreamNotFoundError } from '../../eventStore/errors';
import type { EventStore, RecordedEvent } from '../../eventStore/port';
import { checkShopEvent } from '../../projections/eventChecks';
import type { Logger } from '../../projections/projectionRunner';
import { sleep } from '../../projections/projectionRunner';
import type { CommandHandler, CommandMetadata } from '../commandHandler';
import { uuidV5 } from '../ids';
import type { Reaction, ReactionAction } from '../subscription/reaction';

export const NOTIFICATIONS = 'notifications';
const ACTOR = `process:${NOTIFICATIONS}`;

export interface NotificationReactionOptions {
  readonly logger: Logger;
  /** Delivery attempts per message before it is given up (at least 1). */
  readonly maxAttempts: number;
  /** Pause after the first failed attempt; it grows with each further attempt. */
  readonly retryDelayMs: number;
  /** When a command happened (the domain never reads the clock). Default: now. */
  readonly clock?: () => string;
}

/** The message id of the message an event asks for: the same event, the same message. */
export const messageIdFor = (trigger: { readonly id: string }): string => uuidV5(`${NOTIFICATIONS}/message/${trigger.id}`);

export class NotificationReaction implements Reaction {
  readonly name = NOTIFICATIONS;
  private customers: OrderCustomers = new Map();
  private poisonEvents = 0;

  constructor(
    private readonly store: EventStore,
    private readonly commands: CommandHandler,
    private readonly notifier: Notifier,
    private readonly options: NotificationReactionOptions,
  ) {}

  get status() {
    return { openOrders: this.customers.size, poisonEvents: this.poisonEvents };
  }

  /**
   * Folds the event into what the reaction knows (each open order's customer) and returns the
   * action it calls for: request the message and deliver it. The single subscription's runner acts
   * only past the reaction's checkpoint and only while it holds the lease, and retries a failed
   * action until it succeeds (every step is idempotent).
   */
  fold(event: RecordedEvent): ReactionAction | null {
    if (!isOrderNotificationEvent(event)) return null;
    // Its type names an order event; its data is checked against that type's schema before the reaction reads it.
    const refusal = checkShopEvent(event);
    if (refusal !== null) {
      this.poisonEvents += 1;
      this.options.logger.error('notifications cannot react to an event; skipped', {
        eventId: event.id,
        eventType: event.type,
        error: refusal,
      });
      return null;
    }
    const orderEvent: OrderNotificationEvent = event;
    const request = notificationRequestFor(orderEvent, this.customers, messageIdFor(event));
    this.customers = evolveOrderCustomers(this.customers, orderEvent);
    if (request === null) return null;
    return async (signal) => {
      try {
        await this.requestAndDeliver(request, event, signal);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        // A refusal is final: the domain said no (e.g. the message id was taken with other content).
        this.options.logger.warn('a notification command was refused', { eventId: event.id, code: error.code, reason: error.message });
      }
    };
  }

  private async requestAndDeliver(request: RequestNotification, trigger: RecordedEvent, signal: AbortSignal): Promise<void> {
    const { messageId } = request;
    await this.commands.handle(notificationAggregate, request, this.metadata(`${messageId}/request`, trigger));
    while (!signal.aborted) {
      const notification = await this.notificationState(messageId);
      if (notification.status === 'sent' || notification.status === 'givenUp') return;
      // Just requested above: a stream without it is a store answering out of date, retried as any failed step.
      if (notification.status === 'notRequested') throw new Error(`notification ${messageId} is not recorded yet`);
      const outcome = await this.notifier.send({
        messageId,
        recipient: notification.customerId,
        subject: notification.subject,
        body: notification.body,
      });
      if (outcome.outcome === 'sent') {
        await this.commands.handle(
          notificationAggregate,
          { type: 'RecordNotificationSent', messageId, deliveryReference: outcome.deliveryReference },
          this.metadata(`${messageId}/sent`, trigger),
        );
        return;
      }
      const attempt = notification.failedAttempts + 1;
      await this.commands.handle(
        notificationAggregate,
        { type: 'RecordDeliveryFailure', messageId, error: outcome.error, maxAttempts: this.options.maxAttempts },
        this.metadata(`${messageId}/failure/${attempt}`, trigger),
      );
      if (attempt < this.options.maxAttempts) await sleep(this.options.retryDelayMs * attempt, signal);
    }
  }

  private metadata(step: string, trigger: RecordedEvent): CommandMetadata {
    return {
      commandId: uuidV5(`${NOTIFICATIONS}/${step}`),
      correlationId: typeof trigger.metadata.correlationId === 'string' ? trigger.metadata.correlationId : trigger.id,
      causationId: trigger.id,
      actor: ACTOR,
      occurredAt: this.options.clock?.() ?? new Date().toISOString(),
    };
  }

  private async notificationState(messageId: string): Promise<Notification> {
    const { decider } = notificationAggregate;
    let stored: RecordedEvent[];
    try {
      stored = await this.store.readStream(notificationStreamName(messageId));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return decider.initialState();
      throw error;
    }
    return fold(
      decider,
      stored.map((event) => {
        const checked = decider.checkEvent(event);
        if (!checked.valid) throw new Error(`${notificationStreamName(messageId)}: ${checked.reason}`);
        return checked.event;
      }),
    );
  }
}
