/**
 * What the main thread and the writer thread (writerThread.ts) say to each other. Errors cross as
 * data (a thread boundary keeps no classes) and are rebuilt as the port's typed errors.
 */
import { EventStoreUnavailableError, WrongExpectedVersionError } from '../errors';
import type { AppendResult, ExpectedRevision, StreamMetadata } from '../port';
import type { AppendRequest } from './eventWriter';
import type { Synchronous } from './eventDatabase';

export interface WriterThreadData {
  readonly filename: string;
  readonly synchronous: Synchronous;
}

export type ToWriter =
  | { readonly kind: 'append'; readonly id: number; readonly request: AppendRequest }
  | { readonly kind: 'setStreamMetadata'; readonly id: number; readonly streamName: string; readonly metadata: StreamMetadata }
  | { readonly kind: 'prune'; readonly id: number }
  | { readonly kind: 'close' };

export type WriterError =
  | {
      readonly kind: 'wrongExpectedVersion';
      readonly streamName: string;
      readonly expected: ExpectedRevision;
      readonly actual: number | 'no_stream';
    }
  | { readonly kind: 'failed'; readonly message: string };

export type FromWriter =
  | {
      readonly kind: 'committed';
      readonly outcomes: ReadonlyArray<
        | { readonly id: number; readonly ok: true; readonly result: AppendResult }
        | { readonly id: number; readonly ok: false; readonly error: WriterError }
      >;
    }
  | { readonly kind: 'commitFailed'; readonly ids: readonly number[]; readonly message: string }
  | { readonly kind: 'done'; readonly id: number; readonly value?: number; readonly error?: WriterError };

export function toWriterError(error: unknown): WriterError {
  if (error instanceof WrongExpectedVersionError)
    return { kind: 'wrongExpectedVersion', streamName: error.streamName, expected: error.expected, actual: error.actual };
  return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
}

export function fromWriterError(error: WriterError): Error {
  if (error.kind === 'wrongExpectedVersion') return new WrongExpectedVersionError(error.streamName, error.expected, error.actual);
  return new EventStoreUnavailableError(`The embedded event store's writer failed: ${error.message}`);
}
