/** Time as the engine sees it; passed in so tests can fix "now" (certificate expiry, timings). */
export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
