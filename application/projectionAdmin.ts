import { Repeater } from '@repeaterjs/repeater';
import { NotFoundError } from '../domain/errors';
import type { ProjectionFailure, ReadSide } from '../projections/projectionRunner';
import type { RebuildStatus } from '../projections/rebuildableReadSide';

export interface RebuildControl {
  readonly rebuild: RebuildStatus;
  startRebuild(): RebuildStatus;
  onProgress(listener: (status: RebuildStatus) => void): () => void;
}

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

  retry(projection: string) {
    return this.resume(projection, () => this.runner.retry(projection));
  }

  skip(projection: string) {
    return this.resume(projection, () => this.runner.skip(projection));
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

  private async resume(projection: string, action: () => Promise<ProjectionFailure | null>) {
    if (!this.runner.failures.some((failure) => failure.projection === projection)) {
      throw new NotFoundError(`Projection ${projection} has no failure to resolve`);
    }
    const failure = await action();
    return { projection, resumed: failure === null, failure };
  }
}
