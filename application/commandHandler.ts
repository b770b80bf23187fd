/**
 * The write path: load the stream, fold `evolve`, `decide`, append at the stream's revision.
 *
 * - A conflicting concurrent write makes the handler reload and decide again (bounded);
 *   `decide` is pure, so that is safe.
 * - A client-supplied expected version is honoured strictly: a mismatch is a CONFLICT, no retry.
 * - Event ids derive from the command id, the stream and the index, and a command id already
 *   recorded in the stream returns the original result: a retried command never appends twice.
 * - Every stored event is checked against its aggregate's schema before it is folded: a stream
 *   with an invalid or unknown event answers CORRUPT_STREAM, naming the stream and the event.
 */
import type { Aggregate } from '../domain/aggregate';
import type { Decider, DomainEvent } from '../domain/decider';
import { ConflictError } from '../domain/errors';
import { StreamNotFoundError, WrongExpectedVersionError } from '../eventStore/errors';
import {
  streamCategory,
  type EventStore,
  type EventToAppend,
  type JsonObject,
  type Position,
  type RecordedEvent,
} from '../eventStore/port';
import { CorruptStreamError } from './errors';
import { eventIdFor } from './ids';
import { KeyedQueue } from './keyedQueue';
import { ATTR } from './tracing/attributes';
import { activeTraceContext, inSpan, inSpanSync, type TraceContextMetadata } from './tracing/tracing';

export interface CommandMetadata {
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId?: string;
  readonly actor: string;
  readonly occurredAt: string;
}

export interface HandleCommandOptions {
  /** The stream revision the client last saw; checked strictly when given. */
  readonly expectedVersion?: number;
  readonly maxAttempts?: number;
  /**
   * Runs once the command is decided and about to be recorded (events to append, or a no-op to
   * return), before anything is written to the stream; throwing refuses the command. A command
   * already recorded, or refused by `decide`, never reaches it. It may run again after a conflicting
   * write, so it must be idempotent. The idempotency-key claim uses it.
   */
  readonly beforeRecording?: () => Promise<void>;
}

export interface CommandResult {
  /** The stream's revision after the command (-1 if the stream still has no events). */
  readonly revision: number;
  /** Position in `$all` of the last event of the stream the result reflects (null for an empty stream). */
  readonly position: Position | null;
  /** How many events this call appended: 0 for a no-op or an idempotent retry. */
  readonly appended: number;
  /** True when the command id was already recorded: the original result is returned. */
  readonly alreadyHandled: boolean;
}

const DEFAULT_MAX_ATTEMPTS = 8;

/** Told about every handled command: for metrics and logs. */
export type CommandObserver = (outcome: {
  readonly command: string;
  /** appended, unchanged, replayed, or the error's code */
  readonly outcome: string;
  readonly seconds: number;
  readonly metadata: CommandMetadata;
}) => void;

export class CommandHandler {
  private readonly perStream = new KeyedQueue();
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(
    private readonly store: EventStore,
    private readonly observe: CommandObserver = () => {},
  ) {}

  /** The one command router: every command, from a service or a process manager, is decided here on its aggregate's stream. */
  async handle<State, Command extends { readonly type: string }, Event extends DomainEvent<string, unknown>>(
    aggregate: Aggregate<State, Command, Event>,
    command: Command,
    metadata: CommandMetadata,
    options: HandleCommandOptions = {},
  ): Promise<CommandResult> {
    const { decider } = aggregate;
    const streamName = aggregate.streamNameOf(command);
    const started = performance.now();
    return inSpan(
      `command ${command.type}`,
      async (span) => {
        const report = (outcome: string) => {
          span?.setAttribute(ATTR.commandOutcome, outcome);
          this.observe({ command: command.type, outcome, seconds: (performance.now() - started) / 1000, metadata });
        };
        try {
          const result = await this.perStream.run(streamName, () => this.decideAndAppend(decider, streamName, command, metadata, options));
          report(result.alreadyHandled ? 'replayed' : result.appended > 0 ? 'appended' : 'unchanged');
          span?.setAttribute(ATTR.revision, result.revision);
          return result;
        } catch (error) {
          report(typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'error');
          throw error;
        }
      },
      () => ({
        attributes: {
          [ATTR.commandType]: command.type,
          [ATTR.commandId]: metadata.commandId,
          [ATTR.correlationId]: metadata.correlationId,
          [ATTR.streamName]: streamName,
        },
      }),
    );
  }

  private async decideAndAppend<State, Command extends { readonly type: string }, Event extends DomainEvent<string, unknown>>(
    decider: Decider<State, Command, Event>,
    streamName: string,
    command: Command,
    metadata: CommandMetadata,
    options: HandleCommandOptions,
  ): Promise<CommandResult> {
    const maxAttempts = options.expectedVersion === undefined ? (options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS) : 1;
    for (let attempt = 1; ; attempt += 1) {
      const snapshot = await this.load(decider, streamName);
      const previous = snapshot.commands.get(metadata.commandId);
      if (previous) return { ...previous, appended: 0, alreadyHandled: true };

      const currentRevision = snapshot.revision;
      if (options.expectedVersion !== undefined && options.expectedVersion !== currentRevision) {
        throw conflict(streamName, options.expectedVersion, currentRevision);
      }
      const events = inSpanSync(
        `decide ${command.type}`,
        (span) => {
          const decided = decider.decide(command, snapshot.state as State);
          span?.setAttribute(
            ATTR.eventTypes,
            decided.map((event) => event.type),
          );
          return decided;
        },
        () => ({ attributes: { [ATTR.revision]: currentRevision } }),
      );
      await options.beforeRecording?.();
      if (events.length === 0) {
        return { revision: currentRevision, position: snapshot.position, appended: 0, alreadyHandled: false };
      }
      try {
        const expectedRevision = currentRevision === -1 ? 'no_stream' : currentRevision;
        // The command's span context goes with its events: whatever reacts to them continues this trace.
        const toAppend = toEventsToAppend(events, streamName, metadata, activeTraceContext());
        const result = await inSpan(
          `append ${streamCategory(streamName)}`,
          async (span) => {
            const appended = await this.store.appendToStream(streamName, toAppend, { expectedRevision });
            span?.setAttributes({ [ATTR.revision]: appended.nextExpectedRevision, [ATTR.position]: appended.position.toString() });
            return appended;
          },
          () => ({
            attributes: {
              [ATTR.streamName]: streamName,
              [ATTR.expectedRevision]: String(expectedRevision),
              [ATTR.eventTypes]: events.map((event) => event.type),
            },
          }),
        );
        this.remember(streamName, {
          decider,
          state: events.reduce(decider.evolve, snapshot.state as State),
          revision: result.nextExpectedRevision,
          position: result.position,
          commands: snapshot.commands.set(metadata.commandId, { revision: result.nextExpectedRevision, position: result.position }),
        });
        return {
          revision: result.nextExpectedRevision,
          position: result.position,
          appended: events.length,
          alreadyHandled: false,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (options.expectedVersion !== undefined) {
          throw conflict(streamName, options.expectedVersion, typeof error.actual === 'number' ? error.actual : -1);
        }
        if (attempt >= maxAttempts) {
          throw new ConflictError(
            `Too many concurrent changes to ${streamName}; try again`,
            currentRevision,
            typeof error.actual === 'number' ? error.actual : null,
          );
        }
        await backoff(attempt);
      }
    }
  }

  /**
   * The stream's state, from the cache plus whatever other writers appended since (usually
   * nothing): a hot stream is not re-read and re-folded from its first event for every command.
   */
  private async load<State, Command, Event>(decider: Decider<State, Command, Event>, streamName: string): Promise<Snapshot> {
    const cached = this.snapshots.get(streamName);
    const base: Snapshot =
      cached && cached.decider === decider
        ? cached
        : { decider, state: decider.initialState(), revision: -1, position: null, commands: new Map() };
    let newer: RecordedEvent[];
    try {
      newer = await this.store.readStream(streamName, { fromRevision: base.revision + 1 });
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
      newer = [];
    }
    if (newer.length === 0 && cached === base) return base;
    let state = base.state as State;
    let { revision, position } = base;
    const commands = new Map(base.commands);
    for (const event of newer) {
      // A stored event that is not one of this aggregate's valid events is never folded into state.
      const checked = decider.checkEvent(event);
      if (!checked.valid) throw new CorruptStreamError(streamName, event.id, event.type, event.revision, checked.reason);
      state = decider.evolve(state, checked.event);
      revision = event.revision;
      position = event.position;
      if (typeof event.metadata.commandId === 'string') commands.set(event.metadata.commandId, { revision, position });
    }
    const snapshot: Snapshot = { decider, state, revision, position, commands };
    this.remember(streamName, snapshot);
    return snapshot;
  }

  private remember(streamName: string, snapshot: Snapshot): void {
    this.snapshots.delete(streamName);
    this.snapshots.set(streamName, snapshot);
    if (this.snapshots.size > MAX_CACHED_STREAMS) this.snapshots.delete(this.snapshots.keys().next().value!);
  }
}

/** A stream's folded state, as of `revision`, and the results of the commands recorded in it. */
interface Snapshot {
  readonly decider: unknown;
  readonly state: unknown;
  readonly revision: number;
  readonly position: Position | null;
  readonly commands: Map<string, { readonly revision: number; readonly position: Position | null }>;
}

/** Streams whose folded state is kept (least recently used first out). */
const MAX_CACHED_STREAMS = 10_000;

function toEventsToAppend(
  events: readonly DomainEvent<string, unknown>[],
  streamName: string,
  metadata: CommandMetadata,
  traceContext: TraceContextMetadata | null,
): EventToAppend[] {
  return events.map((event, index) => ({
    id: eventIdFor(metadata.commandId, streamName, index),
    type: event.type,
    data: event.data as JsonObject,
    metadata: {
      commandId: metadata.commandId,
      correlationId: metadata.correlationId,
      ...(metadata.causationId === undefined ? {} : { causationId: metadata.causationId }),
      actor: metadata.actor,
      occurredAt: metadata.occurredAt,
      ...traceContext,
    },
  }));
}

function conflict(streamName: string, expected: number, actual: number): ConflictError {
  return new ConflictError(`${streamName} is at version ${actual}, not the expected ${expected}`, expected, actual === -1 ? null : actual);
}

/** Jittered, growing pause so retrying writers spread out instead of colliding again. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
