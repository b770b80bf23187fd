/**
 * Business failures, each with a stable code. They are turned into GraphQL errors
 * (`extensions.code`) in exactly one place; anything that is not a DomainError is masked.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  /** The base of a failure with the stable code `code`: `class NotFoundError extends DomainError.withCode('NOT_FOUND') {}`. */
  static withCode<const Code extends string>(code: Code) {
    abstract class CodedDomainError extends DomainError {
      readonly code = code;
    }
    return CodedDomainError;
  }
}

/** Input that can never succeed, whatever the state: a blank name, a negative count. */
export class InvalidInputError extends DomainError.withCode('BAD_USER_INPUT') {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError.withCode('NOT_FOUND') {}

export class AlreadyExistsError extends DomainError.withCode('ALREADY_EXISTS') {}

/** The client's expected version is not the current one. */
export class ConflictError extends DomainError.withCode('CONFLICT') {
  constructor(
    message: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | null,
  ) {
    super(message);
  }
}
