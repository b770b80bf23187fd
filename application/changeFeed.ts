/**
 * Turns the projection runner's change notifications into async iterables for GraphQL
 * subscriptions. Every iterable ends when the gateway shuts down.
 */
import { Repeater } from '@repeaterjs/repeater';
import type { DocumentChange } from '../projections/projection';

export interface ChangeSource {
  onChange(listener: (change: DocumentChange) => void): () => void;
}

export class ChangeFeed {
  constructor(
    private readonly source: ChangeSource,
    private readonly shutdown: AbortSignal,
  ) {}

  /**
   * Emits `initial()` (if any) first, then `select(change)` for each change it does not skip.
   * Listening starts before `initial()` is read, so no change between the two is lost; callers
   * skip changes already reflected in the initial value.
   */
  stream<Value>(options: {
    readonly select: (change: DocumentChange) => Value | undefined;
    readonly initial?: () => Value | undefined;
  }): AsyncIterable<Value> {
    return new Repeater<Value>(async (push, stop) => {
      const unsubscribe = this.source.onChange((change) => {
        const value = options.select(change);
        if (value !== undefined) push(value).catch(stop);
      });
      const onShutdown = () => stop();
      if (this.shutdown.aborted) stop();
      this.shutdown.addEventListener('abort', onShutdown, { once: true });
      const initial = options.initial?.();
      if (initial !== undefined) await push(initial);
      await stop;
      unsubscribe();
      this.shutdown.removeEventListener('abort', onShutdown);
    });
  }
}
