import { InvalidInputError } from '../errors';
import type { ErrorClass } from './deciderSpecification';

/** What `given(events)` of a deciderSpecification returns, as far as refusals go. */
interface GivenState<Command> {
  when(command: Command): { thenThrows(errorClass: ErrorClass, matching?: Record<string, unknown>): void };
}

/**
 * One test per case `[what, change, field]`: the command with `change` applied is refused as bad
 * user input naming `field`, in the state `given` was built from.
 */
export function itRejectsInvalidInput<Command, Valid extends Command>(
  given: GivenState<Command>,
  command: Valid,
  cases: ReadonlyArray<readonly [what: string, change: Partial<Valid>, field: string]>,
): void {
  it.each(cases)('rejects %s', (_what, change, field) => {
    given.when({ ...command, ...change }).thenThrows(InvalidInputError, { code: 'BAD_USER_INPUT', field });
  });
}
