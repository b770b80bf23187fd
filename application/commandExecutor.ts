/**
 * Runs one client command end to end: the command id (from the caller's idempotency key, see
 * idempotency/idempotencyKeys), decide + append, then read-your-writes (wait, bounded, until the
 * projections have applied the append) and return the document as the read side now shows it.
 */
import type { Aggregate } from '../domain/aggregate';
import type { DomainEvent } from '../domain/decider';
import type { Position } from '../eventStore/port';
import type { CommandHandler } from './commandHandler';
import { ReadModelLagError } from './errors';
import { actorName } from './actor';
import { IdempotencyKeyClaimRaced, type IdempotencyKeys } from './idempotency/idempotencyKeys';
import type { RequestScope, WriteOptions } from './requestScope';

export interface ReadSide {
  waitForPosition(position: Position, timeoutMs: number): Promise<boolean>;
}

export interface WriteResult<View> {
  readonly view: View;
  readonly revision: number;
  readonly position: string | null;
  readonly replayed: boolean;
}

/** What a command is, once its id is known (a created aggregate's id may derive from the command id). */
export interface PreparedCommand<Command, View> {
  readonly command: Command;
  readonly read: () => View | null;
}

/** A raced key claim is resolved by identifying again; more than this many races in a row is a fault. */
const MAX_KEY_CLAIM_ATTEMPTS = 3;

export class CommandExecutor {
  constructor(
    private readonly commands: CommandHandler,
    private readonly keys: IdempotencyKeys,
    private readonly readSide: ReadSide,
    private readonly readYourWritesTimeoutMs: number,
  ) {}

  async execute<
    State,
    Command extends { readonly type: string },
    Event extends DomainEvent<string, unknown>,
    View extends { readonly version: number },
  >(request: {
    readonly aggregate: Aggregate<State, Command, Event>;
    /** The mutation's name: part of what an idempotency key is bound to. */
    readonly operation: string;
    /** The stream the command changes, or a name for what it creates; part of what a key is bound to. */
    readonly target: string;
    /** The client's input as received (with its idempotency key and expected version). */
    readonly input: WriteOptions & object;
    readonly scope: RequestScope;
    readonly prepare: (commandId: string) => PreparedCommand<Command, View>;
  }): Promise<WriteResult<View>> {
    const { input, scope } = request;
    const actor = actorName(scope.actor);
    const keyedRequest = {
      actor,
      idempotencyKey: input.idempotencyKey,
      operation: request.operation,
      target: request.target,
      input,
      at: scope.receivedAt,
      correlationId: scope.correlationId,
    };
    for (let attempt = 1, knownRevision: number | 'no_stream' | undefined; ; attempt += 1) {
      const { commandId, claim } = await this.keys.identify(keyedRequest, knownRevision);
      const prepared = request.prepare(commandId);
      try {
        const result = await this.commands.handle(
          request.aggregate,
          prepared.command,
          { commandId, correlationId: scope.correlationId, actor, occurredAt: scope.receivedAt },
          {
            ...(input.expectedVersion === null || input.expectedVersion === undefined ? {} : { expectedVersion: input.expectedVersion }),
            ...(claim ? { beforeRecording: claim } : {}),
          },
        );
        if (result.position !== null) await this.readSide.waitForPosition(result.position, this.readYourWritesTimeoutMs);
        const view = prepared.read();
        if (!view || view.version < result.revision) {
          throw new ReadModelLagError('The change was saved but is not visible yet; retry with the same idempotency key to read it');
        }
        return {
          view,
          revision: result.revision,
          position: result.position === null ? null : result.position.toString(),
          replayed: result.alreadyHandled,
        };
      } catch (error) {
        if (!(error instanceof IdempotencyKeyClaimRaced) || attempt >= MAX_KEY_CLAIM_ATTEMPTS) throw error;
        knownRevision = error.actual;
      }
    }
  }
}
