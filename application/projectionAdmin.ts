import { NotFoundError } from '../domain/errors';
import type { ProjectionFailure, ProjectionRunner } from '../projections/projectionRunner';

/** Admin operations on the read side: dead letters, retry, skip. */
export class ProjectionAdmin {
  constructor(private readonly runner: ProjectionRunner) {}

  failures(): readonly ProjectionFailure[] {
    return this.runner.failures;
  }

  retry(projection: string) {
    return this.resume(projection, () => this.runner.retry(projection));
  }

  skip(projection: string) {
    return this.resume(projection, () => this.runner.skip(projection));
  }

  private async resume(projection: string, action: () => Promise<ProjectionFailure | null>) {
    if (!this.runner.failures.some((failure) => failure.projection === projection)) {
      throw new NotFoundError(`Projection ${projection} has no failure to resolve`);
    }
    const failure = await action();
    return { projection, resumed: failure === null, failure };
  }
}
