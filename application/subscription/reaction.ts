import type { RecordedEvent } from '../../eventStore/port';

/** Acting on one event: commands, a charge, a message sent. Retried until it succeeds, so it must be idempotent. */
export type ReactionAction = (signal: AbortSignal) => Promise<void>;

/**
 * A process reaction (the order-fulfilment process manager, the notifications, …): it is fed every
 * event of `$all` once, in order, from the beginning, by the gateway's single subscription (see
 * reactionRunner.ts). It folds each event into its own in-memory state and says what acting on it
 * would do; the runner decides whether to act: only on events after the reaction's durable
 * checkpoint, and only on the instance holding the reaction's lease.
 */
export interface Reaction {
  /** Names its checkpoint (`_checkpoint-<name>`) and its lease (`_lease-<name>`); never renamed. */
  readonly name: string;
  /** Synchronous: the state after `event`, and the action it calls for, or null for none. */
  fold(event: RecordedEvent): ReactionAction | null;
}
