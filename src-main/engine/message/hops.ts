import type { Hop, HopGroup, MessageNote } from '../../contract/message';
import { MESSAGE_LIMITS } from '../../contract/message';
import type { HeaderField } from './input';
import { isMicrosoftHost, parseMailDate, parseReceived } from './received';

/**
 * The Received: chain as hops, oldest first (each server adds its field on
 * top, RFC 5321 §4.4), with the delay between hops. A hop whose clock is
 * behind the previous one is shown as clock skew, never as a negative delay.
 */
export interface HopContext {
  /** Is this host (a `by` or `from` name) one of the organisation's own servers? */
  readonly isOwnServer?: (host: string) => boolean;
}

export function buildHops(headers: readonly HeaderField[], notes: MessageNote[], context: HopContext = {}): Hop[] {
  const fields = headers.filter((h) => h.name === 'received');
  if (fields.length > MESSAGE_LIMITS.hops) notes.push({ severity: 'warn', message: `${fields.length} Received: fields; only the newest ${MESSAGE_LIMITS.hops} are shown.` });
  const ordered = fields.slice(0, MESSAGE_LIMITS.hops).reverse();
  const hops: Hop[] = [];
  let previousMs: number | undefined;
  let undated = 0;
  let zoneless = 0;
  ordered.forEach((field, i) => {
    const r = parseReceived(field.value);
    const parsedDate = r.date ? parseMailDate(r.date) : undefined;
    if (!parsedDate) undated += 1;
    else if (parsedDate.zoneMissing) zoneless += 1;
    const ms = parsedDate?.ms;
    let delaySeconds: number | undefined;
    let skewSeconds: number | undefined;
    if (ms !== undefined && previousMs !== undefined) {
      const diff = Math.round((ms - previousMs) / 1000);
      if (diff < 0) {
        skewSeconds = -diff;
        delaySeconds = 0;
      } else {
        delaySeconds = diff;
      }
    }
    if (ms !== undefined) previousMs = ms;
    const zone: Hop['zone'] = isMicrosoftHost(r.by) ? 'microsoft' : r.by && context.isOwnServer?.(r.by) ? 'own-server' : 'other';
    hops.push({
      index: i + 1,
      ...(r.from ? { from: r.from } : {}),
      ...(r.fromIp ? { fromIp: r.fromIp } : {}),
      ...(r.by ? { by: r.by } : {}),
      ...(r.with ? { with: r.with } : {}),
      ...(r.id ? { id: r.id } : {}),
      ...(r.for ? { for: r.for } : {}),
      ...(ms !== undefined ? { time: new Date(ms).toISOString() } : {}),
      ...(delaySeconds !== undefined ? { delaySeconds } : {}),
      clockSkew: skewSeconds !== undefined,
      ...(skewSeconds !== undefined ? { skewSeconds } : {}),
      encryption: r.encryption,
      zone,
      ...(r.exchangeBuild ? { exchangeBuild: r.exchangeBuild } : {}),
      raw: field.value.slice(0, 2000),
    });
  });
  if (fields.length > 0 && undated > 0) notes.push({ severity: 'info', message: `${undated} Received: field${undated === 1 ? ' has' : 's have'} no date that could be read; no delay is shown for ${undated === 1 ? 'it' : 'them'}.` });
  if (zoneless > 0) notes.push({ severity: 'info', message: `${zoneless} Received: date${zoneless === 1 ? ' has' : 's have'} no time zone and ${zoneless === 1 ? 'was' : 'were'} read as UTC.` });
  return hops;
}

/** Consecutive hops in one zone, named: Microsoft's datacentres, your own server, or the sending/receiving side's domain. */
export function groupHops(hops: readonly Hop[]): HopGroup[] {
  const groups: HopGroup[] = [];
  for (const hop of hops) {
    const label = zoneLabel(hop);
    const last = groups.at(-1);
    if (last && last.zone === hop.zone && last.label === label) groups[groups.length - 1] = { ...last, last: hop.index };
    else groups.push({ zone: hop.zone, label, first: hop.index, last: hop.index });
  }
  return groups.map((g) => (g.zone === 'microsoft' ? { ...g, label: `${g.label} (${g.last - g.first + 1} hop${g.last === g.first ? '' : 's'})` } : g));
}

function zoneLabel(hop: Hop): string {
  if (hop.zone === 'microsoft') return 'Inside Microsoft 365’s datacentres (Exchange Online Protection and Exchange Online)';
  if (hop.zone === 'own-server') return 'Your own mail server';
  return hop.by ? `Outside Microsoft: ${baseDomain(hop.by)}` : 'Outside Microsoft';
}

/** The last two labels of a host (three for a two-letter country second level such as co.uk): enough to name an organisation. */
export function baseDomain(host: string): string {
  if (/^[\d.]+$|:/.test(host)) return host;
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  const keep = labels.length > 2 && (labels.at(-2)?.length ?? 0) <= 3 && (labels.at(-1)?.length ?? 0) === 2 ? 3 : 2;
  return labels.slice(-keep).join('.');
}
