/**
 * Idempotency keys with the semantics clients know from payment APIs, remembered in the event store
 * so that they hold across restarts and across instances.
 *
 * - A key belongs to its caller: `alice`'s key "k" and `bob`'s key "k" are unrelated.
 * - The first use of a key records a claim: the operation, the target (the stream the command
 *   changes), a fingerprint of the canonicalised input, the command id and the time. It lives in
 *   an internal stream of its own, `_idempotency-<uuid v5 of caller and key>`, appended with expected
 *   revision `no_stream`, so two instances racing for one key cannot both claim it.
 * - The same key with the same operation, target and input runs under the recorded command id:
 *   the command handler finds that id in the target stream and returns the original result
 *   (`replayed: true`) without appending. Anything different is refused (IDEMPOTENCY_KEY_REUSED).
 * - A claim binds its key for `IDEMPOTENCY_KEY_WINDOW_MS` after the request that made it; after that
 *   the key is free, and using it again is a new request (a new claim, a new command id).
 *
 * The claim is written only once the command has been decided and is about to be recorded
 * (`beforeRecording`): a request refused by validation or by the domain leaves no claim behind. If
 * the process dies between the claim and the command's append, a retry of the same request finds
 * the claim, runs under the same command id and appends the command then, once.
 */
import { InvalidInputError } from '../../domain/errors';
import { StreamNotFoundError, WrongExpectedVersionError } from '../../eventStore/errors';
import type { EventStore, ExpectedRevision, RecordedEvent } from '../../eventStore/port';
import { IdempotencyKeyReusedError } from '../errors';
import { newId, uuidV5 } from '../ids';
import { requestFingerprint } from './requestFingerprint';

/** How long a key stays bound to its first request: 24 hours, as common payment APIs keep theirs. */
export const IDEMPOTENCY_KEY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const IDEMPOTENCY_KEY_MAX_LENGTH = 200;
/** The leading `_` marks the streams as internal: not shop events, hidden from `$all` readers. */
export const IDEMPOTENCY_KEY_CATEGORY = '_idempotency';
export const IDEMPOTENCY_KEY_CLAIMED = 'IdempotencyKeyClaimed';

export const idempotencyKeyStreamName = (actor: string, idempotencyKey: string): string =>
  `${IDEMPOTENCY_KEY_CATEGORY}-${uuidV5(JSON.stringify(['idempotencyKey', actor, idempotencyKey]))}`;

export interface KeyedRequest {
  /** The caller, as recorded in event metadata (`customer:alice`). */
  readonly actor: string;
  readonly idempotencyKey: string | null | undefined;
  readonly operation: string;
  /** The stream the command changes (or, for a command that creates one, a name for what it creates). */
  readonly target: string;
  /** The client's input as received; see requestFingerprint for what counts as the same. */
  readonly input: object;
  /** The request's time (ISO-8601): claims are dated by it and measured against it. */
  readonly at: string;
  readonly correlationId: string;
}

export interface IdentifiedCommand {
  readonly commandId: string;
  /** Records the key's first use; given to the command handler as `beforeRecording`. Absent when there is nothing to record. */
  readonly claim?: () => Promise<void>;
}

/** Another request claimed the key between our read and our claim: identify again (`actual` is the key stream's revision). */
export class IdempotencyKeyClaimRaced extends Error {
  constructor(readonly actual: number | 'no_stream') {
    super('The idempotency key was claimed concurrently');
    this.name = 'IdempotencyKeyClaimRaced';
  }
}

interface KeyClaim {
  readonly operation: string;
  readonly target: string;
  readonly fingerprint: string;
  readonly commandId: string;
  readonly claimedAt: string;
}

export class IdempotencyKeys {
  constructor(
    private readonly store: EventStore,
    private readonly windowMs: number = IDEMPOTENCY_KEY_WINDOW_MS,
  ) {}

  /**
   * The command id a request runs under. Throws IdempotencyKeyReusedError for a key already
   * bound to a different request. `knownRevision` is the key stream's revision as reported by a
   * raced claim (its events may be hidden from reads, e.g. expired by `$maxAge`).
   */
  async identify(request: KeyedRequest, knownRevision?: number | 'no_stream'): Promise<IdentifiedCommand> {
    const { actor, idempotencyKey: key, operation, target } = request;
    if (key === null || key === undefined) return { commandId: newId() };
    if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
      throw new InvalidInputError(`idempotencyKey must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`, 'idempotencyKey');
    }
    const streamName = idempotencyKeyStreamName(actor, key);
    const fingerprint = requestFingerprint(request.input);
    const latest = await this.latestClaim(streamName);
    if (latest && this.binds(latest.claim, request.at)) {
      const { claim } = latest;
      if (claim.operation === operation && claim.target === target && claim.fingerprint === fingerprint)
        return { commandId: claim.commandId };
      throw new IdempotencyKeyReusedError('This idempotency key was already used for a different request; use a new key for a new request');
    }

    // A free key (never used, or its claim has expired): claim it at the stream's next revision.
    const revision = Math.max(latest?.revision ?? -1, typeof knownRevision === 'number' ? knownRevision : -1);
    const expectedRevision: ExpectedRevision = revision === -1 ? 'no_stream' : revision;
    const generation = revision + 1;
    const commandId = uuidV5(JSON.stringify(['command', actor, operation, target, generation, key]));
    const claim: KeyClaim = { operation, target, fingerprint, commandId, claimedAt: request.at };
    let claimed = false;
    return {
      commandId,
      claim: async () => {
        if (claimed) return;
        // A key stream outlives its window twice over, then the store drops it ($maxAge): claims
        // never pile up, and an expired one reads as a free key either way.
        if (expectedRevision === 'no_stream') await this.store.setStreamMetadata(streamName, { maxAgeSeconds: this.retentionSeconds() });
        try {
          await this.store.appendToStream(
            streamName,
            [
              {
                // The same request claims with the same id (an idempotent append); a different one cannot.
                id: uuidV5(JSON.stringify(['idempotencyKeyClaim', streamName, generation, operation, target, fingerprint])),
                type: IDEMPOTENCY_KEY_CLAIMED,
                data: { ...claim },
                metadata: { actor, correlationId: request.correlationId, occurredAt: request.at },
              },
            ],
            { expectedRevision },
          );
        } catch (error) {
          if (error instanceof WrongExpectedVersionError) throw new IdempotencyKeyClaimRaced(error.actual);
          throw error;
        }
        claimed = true;
      },
    };
  }

  private retentionSeconds(): number {
    return Math.ceil((2 * this.windowMs) / 1000);
  }

  private binds(claim: KeyClaim, at: string): boolean {
    const age = Date.parse(at) - Date.parse(claim.claimedAt);
    // A claim whose age cannot be told keeps its key bound: refusing is safer than running twice.
    return Number.isNaN(age) || age < this.windowMs;
  }

  private async latestClaim(streamName: string): Promise<{ readonly claim: KeyClaim; readonly revision: number } | null> {
    let events: RecordedEvent[];
    try {
      events = await this.store.readStream(streamName, { direction: 'backwards', maxCount: 1 });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
    const [latest] = events;
    return latest ? { claim: latest.data as unknown as KeyClaim, revision: latest.revision } : null;
  }
}
