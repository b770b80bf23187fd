import type { Actor } from '../../application/actor';
import type { AccessRules } from '../../application/authorization';
import type { ChangeFeed } from '../../application/changeFeed';
import type { CommandExecutor } from '../../application/commandExecutor';
import type { CommandHandler } from '../../application/commandHandler';
import type { AggregateEvents } from '../../domain/aggregate';
import type { Reaction } from '../../application/subscription/reaction';
import type { EventStore } from '../../eventStore/port';
import type { ReadModel } from '../../projections/readModel';
import type { RebuildableReadSide } from '../../projections/rebuildableReadSide';
import type { Resolvers } from '../../resolvers/__generated__/types';
import type { GatewayConfig } from '../config';
import type { GatewayLogger } from '../logger';

/**
 * One capability of the shop (inventory, orders, fulfilment, history, notifications, …): everything
 * it contributes, in one object. The composition root folds over the list in index.ts; adding a
 * capability is its own files in each layer plus one line there:
 *
 * - `domain/<name>/`: commands, events, decider, aggregate (stream naming), listed in `aggregates`;
 * - `projections/<readModel>/`: documents, reducers, and a `ReadModel` (stores + projections),
 *   listed in `readModels` and read back in `wire` with `parts.stores(model)`;
 * - `application/<name>/`: services (commands through `parts.executor` or, for reactions,
 *   `parts.commands`: the one command router), reads (live updates from `parts.changes`, the typed
 *   change feed), reactions (application/subscription/reaction.ts);
 * - `schema/<name>.graphql` (picked up by codegen's glob), `resolvers/<name>.ts`, and
 *   `resolvers/<name>.mappers.ts` (the read-model type behind each of its GraphQL types; codegen
 *   reads every `*.mappers.ts`);
 * - `server/capabilities/<name>.ts`: this object, and the context entries it adds, declared by
 *   module augmentation of `CapabilityContext`, `CapabilityReads` (application/context.ts) and
 *   `Loaders` (application/loaders.ts), plus `CapabilityHandles` here for operators and tests.
 *
 * The context entries are typed twice on purpose: the augmentation is what resolvers see, the
 * generic parameters are what `wire` returns, and index.ts checks the two agree.
 */
export interface Capability<
  Context extends object = object,
  Reads extends object = object,
  RequestLoaders extends object = object,
  Handles extends object = object,
> {
  readonly name: string;
  /** SDL files in `schema/` (empty for a capability without a GraphQL surface). */
  readonly typeDefs: readonly string[];
  readonly resolvers: Resolvers;
  /** The access rule of each root field its SDL declares (`Query.order`: 'customer'). */
  readonly accessRules: AccessRules;
  /**
   * Aggregates it adds beyond the shop's core ones (domain/shopAggregates.ts): every reader sees
   * their events upcast to the current shapes and every write stamps the current version.
   */
  readonly aggregates?: readonly AggregateEvents[];
  /** The read models it owns or reads: built once per read model version, fed by the single subscription. */
  readonly readModels?: (config: GatewayConfig) => readonly ReadModel<object>[];
  /** Builds its services, reads, loaders and reactions, once per gateway. */
  readonly wire?: (parts: CapabilityParts) => CapabilityWiring<Context, Reads, RequestLoaders, Handles>;
}

/** What a capability contributes to one gateway. */
export interface CapabilityWiring<Context extends object, Reads extends object, RequestLoaders extends object, Handles extends object> {
  /** Entries of every request's context (its services, admin operations, …). */
  readonly context?: Context;
  /** Entries of `context.reads`. */
  readonly reads?: Reads;
  /** Entries of `context.loaders`: made on the request's first lookup, fresh per request. */
  readonly loaders?: (actor: Actor) => RequestLoaders;
  /** Process reactions: fed by the single subscription, each with its checkpoint and lease. */
  readonly reactions?: readonly Reaction[];
  /** What operators and tests may reach on the running gateway (`gateway.handles`). */
  readonly handles?: Handles;
}

/** What the composition root hands each capability's `wire`. */
export interface CapabilityParts {
  readonly config: GatewayConfig;
  /** The event store as every reader sees it (upcast to the current shapes). */
  readonly store: EventStore;
  readonly logger: GatewayLogger;
  /** Aborted when the gateway stops: live feeds end. */
  readonly shutdown: AbortSignal;
  /** The one command router (reactions dispatch through it). */
  readonly commands: CommandHandler;
  /** Clients' commands: idempotency keys, the router, then read-your-writes. */
  readonly executor: CommandExecutor;
  /** The typed change feed: live updates of read model documents. */
  readonly changes: ChangeFeed;
  /** The read side and its single `$all` subscription (status, dead letters, rebuilds, events). */
  readonly readSide: RebuildableReadSide;
  /** The live stores of a read model listed by some capability's `readModels`. */
  stores<Stores extends object>(model: ReadModel<Stores>): Stores;
}

/**
 * What the running gateway exposes of its capabilities, to operators and tests (the fulfilment
 * process manager's status, the simulated payment provider, …). Each capability declares its own.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging, one capability at a time
export interface CapabilityHandles {}

/** Any capability, whatever it contributes (for the list). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the list holds capabilities of every shape; index.ts recovers each one's types
export type AnyCapability = Capability<any, any, any, any>;
