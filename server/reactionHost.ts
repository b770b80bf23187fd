/**
 * Runs the capabilities' reactions on the read side's single `$all` subscription: each with its
 * durable checkpoint (`_checkpoint-<name>`) and its lease (`_lease-<name>`), so every instance
 * follows and folds, and exactly one acts.
 */
import { EventStoreCheckpointStore } from '../application/checkpointStore';
import { EventStoreLease } from '../application/lease';
import type { PublishedEvents } from '../application/subscription/eventFollower';
import type { Reaction } from '../application/subscription/reaction';
import { ReactionRunner } from '../application/subscription/reactionRunner';
import type { EventStore } from '../eventStore/port';
import type { GatewayLogger } from './logger';

export interface ReactionHost {
  readonly runners: readonly ReactionRunner[];
  readonly leases: readonly EventStoreLease[];
  /** Attaches every reaction to the subscription (before it starts: history is then read once) and competes for the leases. */
  start(): Promise<void>;
  /** Hands the leases over (each reaction records its checkpoint first), then stops following. */
  stop(): Promise<void>;
}

export interface ReactionHostOptions {
  readonly store: EventStore;
  readonly subscription: PublishedEvents;
  readonly reactions: readonly Reaction[];
  readonly leaseMs: number;
  readonly logger: GatewayLogger;
}

export function hostReactions({ store, subscription, reactions, leaseMs, logger }: ReactionHostOptions): ReactionHost {
  const checkpoints = new EventStoreCheckpointStore(store);
  const hosted = reactions.map((reaction) => {
    const runner: ReactionRunner = new ReactionRunner(store, subscription, checkpoints, reaction, {
      logger,
      mayAct: () => lease.held,
    });
    const lease: EventStoreLease = new EventStoreLease(store, {
      name: reaction.name,
      leaseMs,
      logger,
      onAcquired: () => runner.leaseAcquired(),
      onLost: () => runner.leaseLost(),
    });
    return { runner, lease };
  });
  let started = false;
  return {
    runners: hosted.map(({ runner }) => runner),
    leases: hosted.map(({ lease }) => lease),
    async start() {
      started = true;
      for (const { runner } of hosted) await runner.start();
      for (const { lease } of hosted) lease.start();
    },
    async stop() {
      if (!started) return;
      for (const { lease, runner } of hosted) {
        await lease.stop();
        await runner.stop();
      }
    },
  };
}
