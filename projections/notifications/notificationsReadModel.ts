import { InMemoryDocumentStore, type DocumentStore } from '../documentStore';
import { documentProjection } from '../projection';
import type { ReadModel } from '../readModel';
import { customerNotificationsDefinition, type CustomerNotifications } from './customerNotifications';
import { deliveryFailuresDefinition, type DeliveryFailureView } from './deliveryFailures';

/** Each customer's messages (one document per customer) and the admin's delivery failures (one per failed message). */
export const notificationsReadModel: ReadModel<{
  readonly customers: DocumentStore<CustomerNotifications>;
  readonly failures: DocumentStore<DeliveryFailureView>;
}> = {
  name: 'notifications',
  createStores: () => ({
    customers: new InMemoryDocumentStore<CustomerNotifications>(),
    failures: new InMemoryDocumentStore<DeliveryFailureView>(),
  }),
  projections: ({ customers, failures }) => [
    documentProjection(customerNotificationsDefinition, customers),
    documentProjection(deliveryFailuresDefinition, failures),
  ],
};
