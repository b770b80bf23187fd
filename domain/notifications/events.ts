import { z } from 'zod';
import type { DomainEvent } from '../decider';
import type { EventSchemas } from '../eventSchema';

/** Which order event a message tells the customer about. */
export type NotificationKind = 'orderConfirmed' | 'orderCancelled' | 'orderShipped';

export const NOTIFICATION_KINDS: readonly NotificationKind[] = ['orderConfirmed', 'orderCancelled', 'orderShipped'];

/** One message to a customer about one of their orders: what is requested, recorded and sent. */
export interface NotificationMessage {
  readonly messageId: string;
  readonly customerId: string;
  readonly orderId: string;
  readonly kind: NotificationKind;
  readonly subject: string;
  readonly body: string;
}

// Stored event type names: explicit and never renamed. A changed shape gets a new name.
/** A message to the customer is due; its text is fixed here, so a retry sends exactly the same words. */
export type NotificationRequested = DomainEvent<'NotificationRequested', NotificationMessage>;
/** Terminal: the notifier accepted the message. */
export type NotificationSent = DomainEvent<
  'NotificationSent',
  { readonly messageId: string; readonly customerId: string; readonly attempt: number; readonly deliveryReference: string }
>;
/** One delivery attempt failed; another follows unless the attempts are used up. */
export type NotificationDeliveryFailed = DomainEvent<
  'NotificationDeliveryFailed',
  { readonly messageId: string; readonly customerId: string; readonly attempt: number; readonly error: string }
>;
/** Terminal: every attempt failed; nothing more is tried. */
export type NotificationGivenUp = DomainEvent<
  'NotificationGivenUp',
  { readonly messageId: string; readonly customerId: string; readonly attempts: number; readonly lastError: string }
>;

export type NotificationEvent = NotificationRequested | NotificationSent | NotificationDeliveryFailed | NotificationGivenUp;

export const notificationEventTypes: ReadonlySet<string> = new Set<NotificationEvent['type']>([
  'NotificationRequested',
  'NotificationSent',
  'NotificationDeliveryFailed',
  'NotificationGivenUp',
]);

export function isNotificationEvent(event: { readonly type: string }): event is NotificationEvent {
  return notificationEventTypes.has(event.type);
}

// Schemas of the stored shapes: what any writer's event must look like before it is folded.
const id = z.string().min(1);
const attempt = z.number().int().positive();

export const notificationEventSchemas: EventSchemas<NotificationEvent> = {
  NotificationRequested: z.object({
    messageId: id,
    customerId: id,
    orderId: id,
    kind: z.enum(['orderConfirmed', 'orderCancelled', 'orderShipped']),
    subject: z.string().min(1),
    body: z.string().min(1),
  }),
  NotificationSent: z.object({ messageId: id, customerId: id, attempt, deliveryReference: z.string().min(1) }),
  NotificationDeliveryFailed: z.object({ messageId: id, customerId: id, attempt, error: z.string() }),
  NotificationGivenUp: z.object({ messageId: id, customerId: id, attempts: attempt, lastError: z.string() }),
};
