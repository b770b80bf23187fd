import type { DocumentStore } from '../documentStore';
import type { Page, PageRequest } from '../pagination';
import { paginate } from '../pagination';
import type { CustomerNotifications, NotificationView } from './customerNotifications';
import type { DeliveryFailureStatus, DeliveryFailureView } from './deliveryFailures';

export const NOTIFICATION_CURSOR_KIND = 'notification';
export const DELIVERY_FAILURE_CURSOR_KIND = 'deliveryFailure';

export interface DeliveryFailureFilter {
  /** Failures in any of these statuses; null, absent or empty: any status. */
  readonly status?: readonly DeliveryFailureStatus[] | null;
}

export class NotificationQueries {
  constructor(
    private readonly customers: DocumentStore<CustomerNotifications>,
    private readonly failures: DocumentStore<DeliveryFailureView>,
  ) {}

  /** One customer's messages, oldest first. */
  ofCustomer(customerId: string, page: PageRequest): NotificationPage {
    const notifications = () => this.customers.get(customerId)?.notifications ?? [];
    return paginate(
      NOTIFICATION_CURSOR_KIND,
      notifications,
      (notification) => notification.createdPosition,
      () => true,
      page,
    );
  }

  /** A customer's message, or null (also when it is another customer's). */
  ofCustomerById(customerId: string, messageId: string): NotificationView | null {
    return this.customers.get(customerId)?.notifications.find((notification) => notification.id === messageId) ?? null;
  }

  /** Messages whose delivery failed at least once, in the order of their first failure. */
  deliveryFailures(filter: DeliveryFailureFilter, page: PageRequest): DeliveryFailurePage {
    const statuses = filter.status && filter.status.length > 0 ? new Set(filter.status) : null;
    return paginate(
      DELIVERY_FAILURE_CURSOR_KIND,
      () => this.failures.values(),
      (failure) => failure.firstFailedPosition,
      (failure) => statuses === null || statuses.has(failure.status),
      page,
    );
  }
}

export type NotificationPage = Page<NotificationView>;
export type DeliveryFailurePage = Page<DeliveryFailureView>;
