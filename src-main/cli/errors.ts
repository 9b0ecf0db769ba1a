/**
 * An error the user caused (bad domain, unreadable file, wrong option).
 * The CLI prints its message on one line and exits with code 2, no stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes, a stable interface documented in the README. */
export const EXIT = { ok: 0, failFinding: 1, usage: 2, internal: 3 } as const;
