/**
 * The subscribers to one kind of notification (document changes, applied events): each gets every
 * notification until it unsubscribes, and one subscriber's failure is its own, so the others still
 * get theirs. The read side's runner and its rebuildable wrapper both fan out through this.
 */
export class ListenerSet<Notification> {
  private readonly listeners = new Set<(notification: Notification) => void>();

  /** `onFailure` hears what a listener threw; by default nothing does. */
  constructor(private readonly onFailure: (error: unknown) => void = () => {}) {}

  get size(): number {
    return this.listeners.size;
  }

  /** Returns the unsubscribe function. */
  add(listener: (notification: Notification) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  notify(notification: Notification): void {
    for (const listener of this.listeners) {
      try {
        listener(notification);
      } catch (error) {
        this.onFailure(error);
      }
    }
  }
}
