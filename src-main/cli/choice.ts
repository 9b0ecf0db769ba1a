import { UsageError } from './errors';

/** `a, b or c`: the allowed values as a sentence names them. */
export function listWords(values: readonly string[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)!}`;
}

/**
 * The value of an enum-like option (`--format`), matched without regard to
 * case so `PS1`, `Md` or `HTML` work as typed; returns the canonical spelling.
 * A value that matches none is a usage error: one line listing the choices.
 */
export function choice<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  const wanted = value.trim().toLowerCase();
  const found = allowed.find((candidate) => candidate.toLowerCase() === wanted);
  if (found === undefined) throw new UsageError(`${option} must be ${listWords(allowed)}, not "${value}"`);
  return found;
}
