/**
 * Time-boxed work on the event loop: `due()` is cheap enough to ask after every item (it reads
 * the clock only every few calls), `yieldTurn()` lets I/O and timers run, then starts a new slice.
 */
export class TimeSlice {
  private static readonly CHECK_EVERY = 32;
  private calls = 0;
  private startedAt = performance.now();

  constructor(private readonly budgetMs: number) {}

  due(): boolean {
    this.calls += 1;
    if (this.calls % TimeSlice.CHECK_EVERY !== 0) return false;
    return performance.now() - this.startedAt >= this.budgetMs;
  }

  async yieldTurn(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.startedAt = performance.now();
  }
}
