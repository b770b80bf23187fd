/** Notification reads for the GraphQL layer: a customer's messages, live, and the admin's delivery failures. */
import type { CustomerNotifications, NotificationView } from '../../projections/notifications/customerNotifications';
import { customerNotificationChanges } from '../../projections/notifications/customerNotifications';
import type {
  DeliveryFailureFilter,
  DeliveryFailurePage,
  NotificationPage,
  NotificationQueries,
} from '../../projections/notifications/notificationQueries';
import type { PageRequest } from '../../projections/pagination';
import type { Actor } from '../actor';
import { customerIdFor } from '../authorization';
import type { ChangeFeed, TypedChange } from '../changeFeed';

export class NotificationReads {
  constructor(
    private readonly queries: NotificationQueries,
    private readonly changes: ChangeFeed,
  ) {}

  /** A customer's own messages (an admin names the customer), oldest first. */
  ofCustomer(requestedCustomerId: string | null | undefined, page: PageRequest, actor: Actor): NotificationPage {
    return this.queries.ofCustomer(customerIdFor(actor, requestedCustomerId), page);
  }

  /** Messages whose delivery failed at least once (the access rule keeps this to admins). */
  deliveryFailures(filter: DeliveryFailureFilter, page: PageRequest): DeliveryFailurePage {
    return this.queries.deliveryFailures(filter, page);
  }

  /**
   * Each new message of the customer and each change to one (sent, failed attempt, given up), in
   * `$all` order. Listens on the customer's document only: other customers' messages never wake it.
   */
  watch(requestedCustomerId: string | null | undefined, actor: Actor): AsyncIterable<NotificationView> {
    const customerId = customerIdFor(actor, requestedCustomerId);
    let lastPosition = -1n;
    return this.changes.stream(customerNotificationChanges, {
      id: customerId,
      select: ({ document }: TypedChange<CustomerNotifications>) => {
        if (document.position <= lastPosition) return undefined;
        lastPosition = document.position;
        return document.notifications.find((notification) => notification.id === document.lastChangedId);
      },
    });
  }
}
