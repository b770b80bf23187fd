/** The read-model types behind notifications.graphql's types (paths from resolvers/__generated__/, for codegen). */
export const mappers = {
  Notification: '../../projections/notifications/customerNotifications#NotificationView',
  NotificationConnection: '../../projections/notifications/notificationQueries#NotificationPage',
  NotificationDeliveryFailure: '../../projections/notifications/deliveryFailures#DeliveryFailureView',
  NotificationDeliveryFailureConnection: '../../projections/notifications/notificationQueries#DeliveryFailurePage',
};
