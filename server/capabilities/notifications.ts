/**
 * The notifications capability: order confirmation, cancellation and shipping messages to the
 * customer through the `Notifier` port (the simulated mailer), a customer's messages read and
 * watched, and the admin's delivery failures (issue 12 item 5).
 */
import type { AccessRules } from '../../application/authorization';
import type { CapabilityReads } from '../../application/context';
import { NotificationReaction } from '../../application/notifications/notificationReaction';
import { NotificationReads } from '../../application/notifications/notificationReads';
import { SimulatedMailer } from '../../application/notifications/simulatedMailer';
import { notificationAggregate } from '../../domain/notifications';
import { NotificationQueries } from '../../projections/notifications/notificationQueries';
import { notificationsReadModel } from '../../projections/notifications/notificationsReadModel';
import { notificationResolvers } from '../../resolvers/notifications';
import type { Capability, CapabilityHandles } from './capability';

declare module '../../application/context' {
  interface CapabilityReads {
    readonly notifications: NotificationReads;
  }
}
declare module './capability' {
  interface CapabilityHandles {
    readonly notifications: NotificationReaction;
  }
}

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

export const notificationAccessRules: AccessRules = {
  'Query.notifications': 'customer',
  'Query.notificationDeliveryFailures': 'admin',
  'Subscription.notifications': 'customer',
};

/** Messages to customers about their orders: a reaction on the single subscription, its read model, reads and SDL. */
export const notificationsCapability: Capability<
  object,
  Pick<CapabilityReads, 'notifications'>,
  object,
  Pick<CapabilityHandles, 'notifications'>
> = {
  name: 'notifications',
  typeDefs: ['notifications.graphql'],
  resolvers: notificationResolvers,
  accessRules: notificationAccessRules,
  aggregates: [notificationAggregate],
  readModels: () => [notificationsReadModel],
  wire: ({ config, store, commands, logger, changes, stores }) => {
    const settings = notificationSettingsFrom(config.environment);
    const { customers, failures } = stores(notificationsReadModel);
    const mailer = new SimulatedMailer(store, {
      transientFailurePercent: settings.transientFailurePercent,
      latencyMs: settings.mailLatencyMs,
    });
    const reaction = new NotificationReaction(store, commands, mailer, {
      logger,
      maxAttempts: settings.maxAttempts,
      retryDelayMs: settings.retryDelayMs,
    });
    return {
      reads: { notifications: new NotificationReads(new NotificationQueries(customers, failures), changes) },
      reactions: [reaction],
      handles: { notifications: reaction },
    };
  },
};
