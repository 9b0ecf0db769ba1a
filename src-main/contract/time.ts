/**
 * One way to write a moment, for the app and its exports: the reader's locale
 * with the time zone ("1 Dec 2026, 14:05 UTC"), so a report sent to a
 * colleague in another zone is not an hour off. Pure: `Intl` exists in main,
 * the renderer and the CLI alike.
 */
export function formatDateTime(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', ...(timeZone ? { timeZone } : {}) }).format(date);
}

const UNITS: readonly (readonly [Intl.RelativeTimeFormatUnit, number])[] = [
  ['day', 24 * 60 * 60 * 1000],
  ['hour', 60 * 60 * 1000],
  ['minute', 60 * 1000],
];

/** "3 hours ago", "just now", in the reader's locale: how old a remembered result is. */
export function formatAge(iso: string, nowMs: number, locale?: string): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const ago = Math.max(0, nowMs - then);
  const words = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) if (ago >= size) return words.format(-Math.floor(ago / size), unit);
  const now = words.format(0, 'second');
  return now === 'now' ? 'just now' : now;
}
