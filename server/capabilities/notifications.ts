/**
 * The notifications capability: order confirmation, cancellation and shipping messages to the
 * customer (issue 12 item 5). Everything it contributes is here, ready for the capability list;
 * until the composition root folds capabilities' projections, reactions and context entries
 * (server/capabilities/capability.ts, being extended on the modules2 branch), it is not registered
 * in index.ts. What the wiring needs, and why it cannot be done from this file alone:
 *
 * - the SDL lives in schema/notifications/ (not schema/): `loadTypeDefs` refuses a top-level SDL file
 *   no registered capability claims, and codegen reads only `schema/*.graphql`. Registered, the file
 *   moves to schema/notifications.graphql (or codegen reads `schema/**\/*.graphql`), with mappers for
 *   Notification, NotificationConnection, NotificationDeliveryFailure and its connection;
 * - the resolvers are typed here against `NotificationsContext`, because `GatewayContext` has no
 *   notifications entry and resolvers/ may import only the context and the generated types; once
 *   codegen and the context know them they move to resolvers/notifications.ts unchanged.
 */
import type { IResolvers } from '@graphql-tools/utils';
import type { AccessRules } from '../../application/authorization';
import type { ChangeFeed } from '../../application/changeFeed';
import type { CommandHandler } from '../../application/commandHandler';
import type { GatewayContext } from '../../application/context';
import { NotificationReaction } from '../../application/notifications/notificationReaction';
import { NotificationReads } from '../../application/notifications/notificationReads';
import { SimulatedMailer } from '../../application/notifications/simulatedMailer';
import type { Notifier } from '../../domain/notifications';
import type { EventStore } from '../../eventStore/port';
import { InMemoryDocumentStore, type DocumentStore } from '../../projections/documentStore';
import { customerNotificationsDefinition, type CustomerNotifications } from '../../projections/notifications/customerNotifications';
import { deliveryFailuresDefinition, type DeliveryFailureView } from '../../projections/notifications/deliveryFailures';
import { NotificationQueries, type DeliveryFailurePage, type NotificationPage } from '../../projections/notifications/notificationQueries';
import type { PageRequest } from '../../projections/pagination';
import { documentProjection, type Projection } from '../../projections/projection';
import type { Logger } from '../../projections/projectionRunner';
import { swappable } from '../../projections/swappable';

/** The context entry this capability adds. */
export interface NotificationsContextEntry {
  readonly notifications: NotificationReads;
}
export type NotificationsContext = GatewayContext & NotificationsContextEntry;

export interface NotificationSettings {
  /** Delivery attempts per message before it is given up. */
  readonly maxAttempts: number;
  /** Pause after the first failed attempt; it grows with each further attempt. */
  readonly retryDelayMs: number;
  /** The simulated mailer's share of attempts that fail as if the service were briefly down (0–100). */
  readonly transientFailurePercent: number;
  readonly mailLatencyMs: number;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  maxAttempts: 3,
  retryDelayMs: 1000,
  transientFailurePercent: 0,
  mailLatencyMs: 0,
};

/** NOTIFICATION_MAX_ATTEMPTS, NOTIFICATION_RETRY_DELAY_MS, NOTIFICATION_FAILURE_PERCENT, NOTIFICATION_MAIL_LATENCY_MS. */
export function notificationSettingsFrom(env: Readonly<Record<string, string | undefined>>): NotificationSettings {
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}`);
    return value;
  };
  return {
    maxAttempts: whole('NOTIFICATION_MAX_ATTEMPTS', DEFAULT_NOTIFICATION_SETTINGS.maxAttempts, 1, 100),
    retryDelayMs: whole('NOTIFICATION_RETRY_DELAY_MS', DEFAULT_NOTIFICATION_SETTINGS.retryDelayMs, 0, 3_600_000),
    transientFailurePercent: whole('NOTIFICATION_FAILURE_PERCENT', DEFAULT_NOTIFICATION_SETTINGS.transientFailurePercent, 0, 100),
    mailLatencyMs: whole('NOTIFICATION_MAIL_LATENCY_MS', DEFAULT_NOTIFICATION_SETTINGS.mailLatencyMs, 0, 60_000),
  };
}

/**
 * The read model: its projections for each version the read side builds (a rebuild builds a fresh
 * one side by side), and queries that always read the active version.
 */
export function notificationsReadModel(): {
  readonly queries: NotificationQueries;
  buildVersion(): { readonly projections: readonly Projection[]; activate(): void };
} {
  const customers = swappable<DocumentStore<CustomerNotifications>>(new InMemoryDocumentStore());
  const failures = swappable<DocumentStore<DeliveryFailureView>>(new InMemoryDocumentStore());
  return {
    queries: new NotificationQueries(customers.view, failures.view),
    buildVersion() {
      const stores = {
        customers: new InMemoryDocumentStore<CustomerNotifications>(),
        failures: new InMemoryDocumentStore<DeliveryFailureView>(),
      };
      return {
        projections: [
          documentProjection(customerNotificationsDefinition, stores.customers),
          documentProjection(deliveryFailuresDefinition, stores.failures),
        ],
        activate: () => {
          customers.swap(stores.customers);
          failures.swap(stores.failures);
        },
      };
    },
  };
}

/** The context entry: reads over the read model's queries and the read side's change feed. */
export function notificationsContextEntry(queries: NotificationQueries, changes: ChangeFeed): NotificationsContextEntry {
  return { notifications: new NotificationReads(queries, changes) };
}

/** The process reaction, with the simulated mailer unless another notifier is given. */
export function notificationsReaction(
  dependencies: { readonly store: EventStore; readonly commands: CommandHandler; readonly logger: Logger; readonly notifier?: Notifier },
  settings: NotificationSettings = DEFAULT_NOTIFICATION_SETTINGS,
): NotificationReaction {
  const notifier =
    dependencies.notifier ??
    new SimulatedMailer(dependencies.store, {
      transientFailurePercent: settings.transientFailurePercent,
      latencyMs: settings.mailLatencyMs,
    });
  return new NotificationReaction(dependencies.store, dependencies.commands, notifier, {
    logger: dependencies.logger,
    maxAttempts: settings.maxAttempts,
    retryDelayMs: settings.retryDelayMs,
  });
}

const passThrough = <Value>(value: Value): Value => value;

interface PageArguments extends PageRequest {
  readonly customerId?: string | null;
}

/** Thin, as resolvers/ are: arguments → one call on the context → result. */
export const notificationResolvers: IResolvers<unknown, NotificationsContext> = {
  NotificationConnection: {
    nodes: (page: NotificationPage) => page.edges.map((edge) => edge.node),
    totalCount: (page: NotificationPage) => page.totalCount(),
  },
  NotificationDeliveryFailureConnection: {
    nodes: (page: DeliveryFailurePage) => page.edges.map((edge) => edge.node),
    totalCount: (page: DeliveryFailurePage) => page.totalCount(),
  },
  Query: {
    notifications: (_parent, { customerId, first, after, last, before }: PageArguments, { notifications, scope }) =>
      notifications.ofCustomer(customerId, { first, after, last, before }, scope.actor),
    notificationDeliveryFailures: (
      _parent,
      { status, first, after, last, before }: PageRequest & { readonly status?: DeliveryFailureView['status'][] | null },
      { notifications },
    ) => notifications.deliveryFailures({ status }, { first, after, last, before }),
  },
  Subscription: {
    notifications: {
      subscribe: (_parent, { customerId }: { readonly customerId?: string | null }, { notifications, scope }) =>
        notifications.watch(customerId, scope.actor),
      resolve: passThrough,
    },
  },
};

export const notificationAccessRules: AccessRules = {
  'Query.notifications': 'customer',
  'Query.notificationDeliveryFailures': 'admin',
  'Subscription.notifications': 'customer',
};

/**
 * The capability object as today's `Capability` allows (name, SDL, resolvers, access rules). Its
 * resolvers are typed against `NotificationsContext`, so it satisfies `Capability` once the
 * generated `Resolvers` know the notification types (see above).
 */
export const notificationsCapability = {
  name: 'notifications',
  typeDefs: ['notifications/notifications.graphql'],
  resolvers: notificationResolvers,
  accessRules: notificationAccessRules,
} as const;
