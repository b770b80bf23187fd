/**
 * The write path: load the stream, fold `evolve`, `decide`, append at the stream's revision.
 *
 * - A conflicting concurrent write makes the handler reload and decide again (bounded);
 *   `decide` is pure, so that is safe.
 * - A client-supplied expected version is honoured strictly: a mismatch is a CONFLICT, no retry.
 * - Event ids derive from the command id, and a command id already recorded in the stream
 *   returns the original result: a retried command never appends twice.
 */
import type { Decider, DomainEvent } from '../domain/decider';
import { ConflictError } from '../domain/errors';
import { StreamNotFoundError, WrongExpectedVersionError } from '../eventStore/errors';
import type { EventStore, EventToAppend, JsonObject, Position, RecordedEvent } from '../eventStore/port';
import { eventIdFor } from './ids';
import { KeyedQueue } from './keyedQueue';

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

  constructor(
    private readonly store: EventStore,
    private readonly observe: CommandObserver = () => {},
  ) {}

  async handle<State, Command extends { readonly type: string }, Event extends DomainEvent<string, unknown>>(
    decider: Decider<State, Command, Event>,
    streamName: string,
    command: Command,
    metadata: CommandMetadata,
    options: HandleCommandOptions = {},
  ): Promise<CommandResult> {
    const started = performance.now();
    const report = (outcome: string) =>
      this.observe({ command: command.type, outcome, seconds: (performance.now() - started) / 1000, metadata });
    try {
      const result = await this.perStream.run(streamName, () => this.decideAndAppend(decider, streamName, command, metadata, options));
      report(result.alreadyHandled ? 'replayed' : result.appended > 0 ? 'appended' : 'unchanged');
      return result;
    } catch (error) {
      report(typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'error');
      throw error;
    }
  }

  private async decideAndAppend<State, Command, Event extends DomainEvent<string, unknown>>(
    decider: Decider<State, Command, Event>,
    streamName: string,
    command: Command,
    metadata: CommandMetadata,
    options: HandleCommandOptions,
  ): Promise<CommandResult> {
    const maxAttempts = options.expectedVersion === undefined ? (options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS) : 1;
    for (let attempt = 1; ; attempt += 1) {
      const recorded = await this.load(streamName);
      const previous = findCommand(recorded, metadata.commandId);
      if (previous) return { ...previous, appended: 0, alreadyHandled: true };

      const currentRevision = recorded.length - 1;
      if (options.expectedVersion !== undefined && options.expectedVersion !== currentRevision) {
        throw conflict(streamName, options.expectedVersion, currentRevision);
      }
      const state = recorded.reduce(
        (current, event) => decider.evolve(current, { type: event.type, data: event.data } as unknown as Event),
        decider.initialState(),
      );
      const events = decider.decide(command, state);
      const last = recorded[recorded.length - 1];
      if (events.length === 0) {
        return { revision: currentRevision, position: last?.position ?? null, appended: 0, alreadyHandled: false };
      }
      try {
        const result = await this.store.appendToStream(streamName, toEventsToAppend(events, metadata), {
          expectedRevision: currentRevision === -1 ? 'no_stream' : currentRevision,
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

  private async load(streamName: string): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(streamName);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }
}

function findCommand(recorded: readonly RecordedEvent[], commandId: string): Omit<CommandResult, 'appended' | 'alreadyHandled'> | null {
  let last: RecordedEvent | undefined;
  for (const event of recorded) if (event.metadata.commandId === commandId) last = event;
  return last ? { revision: last.revision, position: last.position } : null;
}

function toEventsToAppend(events: readonly DomainEvent<string, unknown>[], metadata: CommandMetadata): EventToAppend[] {
  return events.map((event, index) => ({
    id: eventIdFor(metadata.commandId, index),
    type: event.type,
    data: event.data as JsonObject,
    metadata: {
      commandId: metadata.commandId,
      correlationId: metadata.correlationId,
      ...(metadata.causationId === undefined ? {} : { causationId: metadata.causationId }),
      actor: metadata.actor,
      occurredAt: metadata.occurredAt,
    },
  }));
}

function conflict(streamName: string, expected: number, actual: number): ConflictError {
  return new ConflictError(
    `${streamName} is at version ${actual}, not the expected ${expected}`,
    expected,
    actual === -1 ? null : actual,
  );
}

/** Jittered, growing pause so retrying writers spread out instead of colliding again. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(50, 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
