import type { CheckReport } from '../../src-main/contract/check';
import type { DnsAnswer } from '../../src-main/contract/dns';
import type { Profile, TlsObservation } from '../../src-main/contract/planner';
import { parseIpv4 } from '../../src-main/contract/rules';
import { diagnoseChoices, type DiagnoseChoice } from './observations';

/**
 * "Diagnose every server and partner": what is in it, and each row's outcome
 * in words. Every accepted domain (its MX and DNS), every own server's host,
 * every partner's domains and smart hosts, and every device with a static
 * address (its reverse DNS name, which receivers look at).
 */
export type BatchTarget = DiagnoseChoice | { readonly label: string; readonly kind: 'device'; readonly value: string; readonly target: undefined };

export function batchTargets(profile: Profile): BatchTarget[] {
  const devices: BatchTarget[] = profile.devices.flatMap((d) => (d.staticPublicIp ? [{ label: `Device ${d.name}: ${d.staticPublicIp}`, kind: 'device' as const, value: d.staticPublicIp, target: undefined }] : []));
  return [...diagnoseChoices(profile), ...devices];
}

/** How one row ended, in words, and whether it is good, bad or unknown. */
export interface BatchOutcome {
  readonly words: string;
  readonly ok: boolean | undefined;
}

/** A domain check's row: TLS when mail servers were reached, else why none was (no such domain, no MX, null MX). */
export function checkOutcome(report: CheckReport, observation: TlsObservation | undefined): BatchOutcome {
  if (observation) return { words: observation.message, ok: observation.ok };
  const codes = new Set(report.findings.map((f) => f.code));
  if (codes.has('DOMAIN_NOT_FOUND')) return { words: 'No such domain: DNS says it does not exist.', ok: false };
  if (report.mx.length === 0) return { words: codes.has('MX_NULL') ? 'The domain says it takes no mail (null MX).' : 'No MX records, so there is no mail server to check.', ok: undefined };
  const worst = report.findings.find((f) => f.severity === 'fail') ?? report.findings.find((f) => f.severity === 'warn');
  if (report.mx.every((m) => m.probes.length === 0)) return { words: `No mail server was reached, so TLS was not checked.${worst ? ` ${worst.message}` : ''}`, ok: undefined };
  return worst ? { words: worst.message, ok: worst.severity !== 'fail' } : { words: 'No problems found.', ok: true };
}

/** A device's row: the reverse DNS name of its address (receivers distrust addresses without one). */
export function deviceOutcome(address: string, answer: DnsAnswer): BatchOutcome {
  const names = answer.records.flatMap((r) => (r.type === 'PTR' ? [r.target] : []));
  if (names.length > 0) return { words: `${address} has the reverse DNS name ${names.join(', ')}.`, ok: true };
  if (answer.outcome === 'nxdomain' || answer.outcome === 'nodata') return { words: `${address} has no reverse DNS name; some receivers refuse mail from such addresses.`, ok: false };
  return { words: `The reverse DNS lookup of ${address} did not answer (${answer.outcome}).`, ok: undefined };
}

/** "8 checked: 5 fine, 2 failing, 1 not checked": counts made from the rows themselves, so they always agree. */
export function batchSummary(rows: readonly { readonly ok: boolean | undefined }[]): string {
  const fine = rows.filter((r) => r.ok === true).length;
  const failing = rows.filter((r) => r.ok === false).length;
  const unknown = rows.length - fine - failing;
  return `${rows.length} checked: ${fine} fine, ${failing} failing, ${unknown} not checked.`;
}

/** `203.0.113.7` → `7.113.0.203.in-addr.arpa`: where a device address's reverse DNS name is looked up. */
export function reverseName(ipv4: string): string | undefined {
  const octets = parseIpv4(ipv4);
  return octets ? `${[...octets].reverse().join('.')}.in-addr.arpa` : undefined;
}
