import type { DeliveryOutcome, OutgoingMessage } from './notifier';

/** Recipients containing this mark always bounce: the demo's and the tests' way to show a given-up message. */
export const SIMULATED_UNDELIVERABLE_MARK = 'undeliverable';

export interface SimulatedMailRules {
  /**
   * Share of attempts, in percent (0–100), that fail as if the mail service were briefly down.
   * Which attempts fail is decided by the message id and the attempt number, not by chance, so a
   * run can be replayed exactly.
   */
  readonly transientFailurePercent: number;
}

/** FNV-1a, 32 bits: a stable spread of message ids over 0–99 with no dependency on a crypto module. */
function percentile(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 100;
}

/**
 * The built-in simulated mailer's decision, deterministic so tests and demos can steer it:
 * - a recipient containing `undeliverable` → failed, "mailbox unavailable", on every attempt;
 * - an attempt whose (message id, attempt) falls in the configured share → failed, "mail service temporarily unavailable";
 * - anything else → sent, delivery reference `sim-mail_<messageId>`.
 */
export function simulatedMailDecision(message: OutgoingMessage, attempt: number, rules: SimulatedMailRules): DeliveryOutcome {
  if (message.recipient.includes(SIMULATED_UNDELIVERABLE_MARK)) return { outcome: 'failed', error: 'mailbox unavailable' };
  if (percentile(`${message.messageId}/${attempt}`) < rules.transientFailurePercent) {
    return { outcome: 'failed', error: 'mail service temporarily unavailable' };
  }
  return { outcome: 'sent', deliveryReference: `sim-mail_${message.messageId}` };
}
