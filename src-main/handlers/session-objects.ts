/**
 * A bounded map of objects main made for this session (imported connector
 * files, built plans), so the renderer refers to them by id instead of
 * sending them back. The least recently used entry goes when the cap is
 * reached: a renderer holding an old id gets NOT_FOUND and asks again.
 */
export class SessionObjects<T> {
  private readonly entries = new Map<string, T>();

  constructor(
    readonly capacity: number,
    private readonly newId: () => string,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** Keeps `value` and returns its new id; the least recently used entry is dropped past the cap. */
  add(value: T): string {
    const id = this.newId();
    this.entries.delete(id);
    this.entries.set(id, value);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return id;
  }

  /** The value for `id` (now the most recently used), or undefined when it was never made or has been dropped. */
  get(id: string): T | undefined {
    const value = this.entries.get(id);
    if (value === undefined) return undefined;
    this.entries.delete(id);
    this.entries.set(id, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** How many imported files and built plans main keeps per session. */
export const SESSION_LIMITS = { imports: 20, plans: 10 } as const;
