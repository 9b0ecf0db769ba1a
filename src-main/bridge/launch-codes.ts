import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../engine/clock';

/** How long a sign-in address works: long enough to open a browser, short enough that a copy in a log is useless. */
export const LAUNCH_CODE_LIFETIME_MS = 60_000;
/** Codes outstanding at once; the oldest goes first. */
const MAX_CODES = 8;

/**
 * One-time launch codes for browser mode. The launcher opens the browser on
 * `/launch?code=…`; the bridge trades a valid code, once, for the session
 * cookie. The code is all that ever appears in a browser's address or a
 * command line, and it is spent on first use and dead after a minute.
 */
export function createLaunchCodes(clock: Clock) {
  const codes = new Map<string, number>();
  return {
    issue(): string {
      const code = randomBytes(24).toString('base64url');
      codes.set(code, clock.now() + LAUNCH_CODE_LIFETIME_MS);
      while (codes.size > MAX_CODES) codes.delete(codes.keys().next().value!);
      return code;
    },
    /** True once for a code that was issued and has not expired; the code is spent either way. */
    redeem(candidate: string): boolean {
      const now = clock.now();
      const given = Buffer.from(candidate);
      for (const [code, expires] of codes) {
        const known = Buffer.from(code);
        if (known.length === given.length && timingSafeEqual(known, given)) {
          codes.delete(code);
          return expires > now;
        }
        if (expires <= now) codes.delete(code);
      }
      return false;
    },
  };
}
