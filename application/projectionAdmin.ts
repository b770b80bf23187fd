import { Repeater } from '@repeaterjs/repeater';
import { InvalidInputError, NotFoundError } from '../domain/errors';
import type { RecordedEvent } from '../eventStore/port';
import { MAX_PAGE_SIZE } from '../projections/pagination';
import type { ProjectionFailure, ReadSide } from '../projections/projectionRunner';
import type { RebuildStatus } from '../projections/rebuildableReadSide';

export interface RebuildControl {
  readonly rebuild: RebuildStatus;
  startRebuild(): RebuildStatus;
  onProgress(listener: (status: RebuildStatus) => void): () => void;
}

const PARKED_EVENTS_PAGE = 20;

/** Admin operations on the read side: dead letters (retry, skip) and rebuilds without downtime. */
export class ProjectionAdmin {
  constructor(
    private readonly runner: ReadSide,
    private readonly rebuilds: RebuildControl,
    private readonly shutdown: AbortSignal,
  ) {}

  failures(): readonly ProjectionFailure[] {
    return this.runner.failures;
  }

  /** The first `first` events parked behind a failure. */
  parkedEvents(failure: ProjectionFailure, first: number | null | undefined): RecordedEvent[] {
    const count = first ?? PARKED_EVENTS_PAGE;
    if (!Number.isInteger(count) || count < 0 || count > MAX_PAGE_SIZE)
      throw new InvalidInputError(`first must be between 0 and ${MAX_PAGE_SIZE}`, 'first');
    return failure.parked.slice(0, count);
  }

  /** The dead letter of `streamName`'s sequence (every parked sequence of the projection when omitted), again, then what is parked behind it. */
  retry(projection: string, streamName?: string | null) {
    return this.resume(projection, streamName ?? undefined, () => this.runner.retry(projection, streamName ?? undefined));
  }

  /** Drops the dead letter of `streamName`'s sequence (or of every parked sequence) and applies what is parked behind it. */
  skip(projection: string, streamName?: string | null) {
    return this.resume(projection, streamName ?? undefined, () => this.runner.skip(projection, streamName ?? undefined));
  }

  rebuildStatus(): RebuildStatus {
    return this.rebuilds.rebuild;
  }

  startRebuild(): RebuildStatus {
    return this.rebuilds.startRebuild();
  }

  /** The status now, then each progress report of the running (or next) rebuild until it completes or fails. */
  rebuildProgress(): AsyncIterable<RebuildStatus> {
    return new Repeater<RebuildStatus>(async (push, stop) => {
      let sawRunning = false;
      const report = (status: RebuildStatus) => {
        void push(status);
        if (status.state === 'running') sawRunning = true;
        else if (sawRunning) stop();
      };
      const unsubscribe = this.rebuilds.onProgress(report);
      const onShutdown = () => stop();
      this.shutdown.addEventListener('abort', onShutdown, { once: true });
      report(this.rebuilds.rebuild);
      await stop;
      unsubscribe();
      this.shutdown.removeEventListener('abort', onShutdown);
    });
  }

  private async resume(projection: string, streamName: string | undefined, action: () => Promise<ProjectionFailure | null>) {
    const parked = this.runner.failures.filter((failure) => failure.projection === projection);
    const named =
      streamName === undefined
        ? parked
        : parked.filter(
            (failure) =>
              failure.sequence === streamName ||
              failure.event.streamName === streamName ||
              failure.parked.some((event) => event.streamName === streamName),
          );
    if (named.length === 0) {
      throw new NotFoundError(
        `Projection ${projection} has no failure to resolve${streamName === undefined ? '' : ` for stream ${streamName}`}`,
      );
    }
    const failure = await action();
    return { projection, resumed: failure === null, failure };
  }
}
