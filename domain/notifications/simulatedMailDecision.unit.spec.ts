import { SIMULATED_UNDELIVERABLE_MARK, simulatedMailDecision } from './simulatedMailDecision';

describe('simulated mail decision', () => {
  const message = { messageId: 'message-1', recipient: 'customer-1', subject: 'Hello', body: 'Hi.' };
  const reliable = { transientFailurePercent: 0 };

  it('sends, with a reference derived from the message id', () => {
    expect(simulatedMailDecision(message, 1, reliable)).toEqual({ outcome: 'sent', deliveryReference: 'sim-mail_message-1' });
  });

  it('always fails for an undeliverable recipient, on every attempt', () => {
    const undeliverable = { ...message, recipient: `customer-${SIMULATED_UNDELIVERABLE_MARK}-1` };
    for (const attempt of [1, 2, 3]) {
      expect(simulatedMailDecision(undeliverable, attempt, reliable)).toEqual({ outcome: 'failed', error: 'mailbox unavailable' });
    }
  });

  it('fails every attempt at 100 percent and none at 0', () => {
    expect(simulatedMailDecision(message, 1, { transientFailurePercent: 100 })).toEqual({
      outcome: 'failed',
      error: 'mail service temporarily unavailable',
    });
    expect(simulatedMailDecision(message, 1, { transientFailurePercent: 0 }).outcome).toBe('sent');
  });

  it('fails about the configured share of attempts, the same ones every time', () => {
    const outcomes = (rules: { transientFailurePercent: number }) =>
      Array.from({ length: 2000 }, (_, index) => simulatedMailDecision({ ...message, messageId: `message-${index}` }, 1, rules).outcome);
    const failures = outcomes({ transientFailurePercent: 25 }).filter((outcome) => outcome === 'failed').length;
    expect(failures).toBeGreaterThan(400);
    expect(failures).toBeLessThan(600);
    expect(outcomes({ transientFailurePercent: 25 })).toEqual(outcomes({ transientFailurePercent: 25 }));
  });

  it('decides each attempt of a message on its own, so a retry can succeed', () => {
    const rules = { transientFailurePercent: 50 };
    const attempts = Array.from({ length: 20 }, (_, index) => simulatedMailDecision(message, index + 1, rules).outcome);
    expect(attempts).toContain('sent');
    expect(attempts).toContain('failed');
  });
});
