import { DEFAULT_NOTIFICATION_SETTINGS, notificationAccessRules, notificationSettingsFrom, notificationsCapability } from './notifications';

describe('notifications capability', () => {
  it('reads its settings from the environment, with defaults', () => {
    expect(notificationSettingsFrom({})).toEqual(DEFAULT_NOTIFICATION_SETTINGS);
    expect(
      notificationSettingsFrom({
        NOTIFICATION_MAX_ATTEMPTS: '5',
        NOTIFICATION_RETRY_DELAY_MS: '250',
        NOTIFICATION_FAILURE_PERCENT: '30',
        NOTIFICATION_MAIL_LATENCY_MS: '20',
      }),
    ).toEqual({ maxAttempts: 5, retryDelayMs: 250, transientFailurePercent: 30, mailLatencyMs: 20 });
  });

  it.each([
    ['NOTIFICATION_MAX_ATTEMPTS', '0'],
    ['NOTIFICATION_MAX_ATTEMPTS', '2.5'],
    ['NOTIFICATION_FAILURE_PERCENT', '101'],
    ['NOTIFICATION_RETRY_DELAY_MS', 'soon'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => notificationSettingsFrom({ [name]: value })).toThrow(name);
  });

  it('has an access rule for every root field its resolvers answer', () => {
    const { Query, Subscription } = notificationsCapability.resolvers as Record<string, Record<string, unknown>>;
    const rootFields = [
      ...Object.keys(Query ?? {}).map((field) => `Query.${field}`),
      ...Object.keys(Subscription ?? {}).map((field) => `Subscription.${field}`),
    ];
    expect(rootFields.sort()).toEqual(Object.keys(notificationAccessRules).sort());
    expect(notificationAccessRules['Query.notificationDeliveryFailures']).toBe('admin');
  });
});
