import type { Clock } from './clock.js';

/**
 * Sliding-window limiter: at most `limit` starts in any `windowMs`. Collect paces the
 * identity and access report endpoints with it, because Graph allows 5 requests per 10 seconds
 * per app per tenant there (https://learn.microsoft.com/graph/throttling-limits) and rejects
 * more with 429 and a long Retry-After.
 */
export class SlidingWindowLimiter {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Waits until one more request may start, then records the start. Callers are served in order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.starts.length > 0 && now - this.starts[0]! >= this.windowMs) this.starts.shift();
      if (this.starts.length < this.limit) {
        this.starts.push(now);
        return;
      }
      await this.clock.sleep(this.starts[0]! + this.windowMs - now);
    }
  }
}
