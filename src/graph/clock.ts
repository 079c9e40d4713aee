/**
 * Time source for retry waits, Retry-After dates and rate limits. Collect takes one as an option,
 * so tests pass a virtual clock and retry waits cost no real time.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * Clock whose sleeps return at once and move its time forward by the requested amount.
 * `slept` is the total virtual wait, which tests assert against Retry-After values.
 */
export class VirtualClock implements Clock {
  slept = 0;
  readonly sleeps: number[] = [];

  constructor(private current = Date.now()) {}

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    const wait = Math.max(0, ms);
    this.current += wait;
    this.slept += wait;
    this.sleeps.push(wait);
    await Promise.resolve();
  }
}
