/**
 * Runs one client command end to end: command id from the idempotency key, decide + append,
 * then read-your-writes (wait, bounded, until the projections have applied the append) and
 * return the document as the read side now shows it.
 */
import type { Decider, DomainEvent } from '../domain/decider';
import { InvalidInputError } from '../domain/errors';
import type { Position } from '../eventStore/port';
import type { CommandHandler } from './commandHandler';
import { ReadModelLagError } from './errors';
import { actorName } from './actor';
import { newId, uuidV5 } from './ids';
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

const IDEMPOTENCY_KEY_MAX_LENGTH = 200;

/**
 * A client's idempotency key, scoped by actor and operation, always maps to the same command id
 * (and so to the same event ids); without a key every call is a new command.
 */
export function commandIdFor(operation: string, idempotencyKey: string | null | undefined, scope: RequestScope): string {
  if (idempotencyKey === null || idempotencyKey === undefined) return newId();
  if (idempotencyKey.length === 0 || idempotencyKey.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw new InvalidInputError(`idempotencyKey must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`, 'idempotencyKey');
  }
  return uuidV5(`command/${actorName(scope.actor)}/${operation}/${idempotencyKey}`);
}

export class CommandExecutor {
  constructor(
    private readonly commands: CommandHandler,
    private readonly readSide: ReadSide,
    private readonly readYourWritesTimeoutMs: number,
  ) {}

  async execute<State, Command extends { readonly type: string }, Event extends DomainEvent<string, unknown>, View extends { readonly version: number }>(request: {
    readonly decider: Decider<State, Command, Event>;
    readonly streamName: string;
    readonly command: Command;
    /** Already derived with `commandIdFor` (callers that need the id before executing derive it once). */
    readonly commandId: string;
    readonly options: WriteOptions;
    readonly scope: RequestScope;
    readonly read: () => View | null;
  }): Promise<WriteResult<View>> {
    const { options, scope } = request;
    const result = await this.commands.handle(
      request.decider,
      request.streamName,
      request.command,
      { commandId: request.commandId, correlationId: scope.correlationId, actor: actorName(scope.actor), occurredAt: scope.receivedAt },
      options.expectedVersion === null || options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion },
    );
    if (result.position !== null) await this.readSide.waitForPosition(result.position, this.readYourWritesTimeoutMs);
    const view = request.read();
    if (!view || view.version < result.revision) {
      throw new ReadModelLagError('The change was saved but is not visible yet; retry with the same idempotency key to read it');
    }
    return {
      view,
      revision: result.revision,
      position: result.position === null ? null : result.position.toString(),
      replayed: result.alreadyHandled,
    };
  }
}
