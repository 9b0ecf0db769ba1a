import { isIP } from 'node:net';
import type { DnsAnswer, DnsRecord } from '../../contract/dns';
import type { Finding } from '../../contract/findings';
import { finding } from '../findings';
import { addressesOf } from '../dns/answers';
import { F } from './catalogue';
import { describeAnswer, isFailure, type CheckContext } from './context';

/** Everything learnt about one MX host, filled in concurrently by runCheck. */
export interface MxHost {
  readonly host: string;
  readonly preference: number;
  /** The MX target is an IP address written as a name. */
  readonly ipLiteral: boolean;
  readonly a?: DnsAnswer;
  readonly aaaa?: DnsAnswer;
  readonly addresses: readonly string[];
}

const LEGACY_OFFICE365 = ['mail.messaging.microsoft.com', 'mail.global.frontbridge.com'];

export function isOffice365Host(host: string): boolean {
  return /\.mail\.protection\.outlook\.com$/.test(host) || /\.mx\.microsoft$/.test(host);
}

export function isLegacyOffice365Host(host: string): boolean {
  return LEGACY_OFFICE365.includes(host);
}

/** `contoso.com` -> `contoso-com.mail.protection.outlook.com`; the newer form is `contoso-com.<x>-v1.mx.microsoft`. */
export function expectedOffice365Host(domain: string): string {
  return `${domain.replace(/\./g, '-')}.mail.protection.outlook.com`;
}

function matchesExpected(domain: string, host: string): boolean {
  const dashes = domain.replace(/\./g, '-');
  return host === expectedOffice365Host(domain) || (host.startsWith(`${dashes}.`) && host.endsWith('.mx.microsoft'));
}

export function isIpLiteral(host: string): boolean {
  return isIP(host.replace(/^\[|\]$/g, '')) !== 0;
}

/** MX records in preference order (stable for equal preferences: by name). */
export function sortedMx(answer: DnsAnswer): Extract<DnsRecord, { type: 'MX' }>[] {
  return answer.records
    .flatMap((r) => (r.type === 'MX' ? [r] : []))
    .sort((a, b) => a.preference - b.preference || a.exchange.localeCompare(b.exchange));
}

export interface MxAnalysis {
  readonly findings: Finding[];
  readonly office365: boolean;
  readonly domainMissing: boolean;
  readonly nullMx: boolean;
}

/** Judges the MX set once all hosts' addresses are known (pure: no lookups). */
export function analyseMx(ctx: Pick<CheckContext, 'domain'>, mx: DnsAnswer, hosts: readonly MxHost[], domainA?: DnsAnswer, domainAaaa?: DnsAnswer): MxAnalysis {
  const d = ctx.domain;
  const findings: Finding[] = [];
  const evidence = describeAnswer(mx);
  if (mx.outcome === 'nxdomain') {
    findings.push(finding(F.DOMAIN_NOT_FOUND, d, `${d} does not exist in DNS (NXDOMAIN).`, evidence));
    return { findings, office365: false, domainMissing: true, nullMx: false };
  }
  if (isFailure(mx)) return { findings, office365: false, domainMissing: false, nullMx: false };
  const records = sortedMx(mx);
  if (records.length === 0) {
    const implicit = addressesOf(domainA, domainAaaa);
    if (implicit.length > 0) {
      findings.push(finding(F.MX_MISSING, d, `${d} has no MX record; senders fall back to its address (${implicit.join(', ')}).`, [...evidence, ...describeAnswer(domainA!), ...(domainAaaa ? describeAnswer(domainAaaa) : [])]));
    } else if ([domainA, domainAaaa].some((a) => a !== undefined && isFailure(a))) {
      // A timeout is not "no address": say the lookup failed, and do not call the domain mailless on a guess.
      findings.push(finding(F.MX_MISSING, d, `${d} has no MX record, and the lookup of its address failed, so whether senders can fall back to it is not known.`, [...evidence, ...(domainA ? describeAnswer(domainA) : []), ...(domainAaaa ? describeAnswer(domainAaaa) : [])]));
    } else {
      findings.push(finding(F.MX_MISSING, d, `${d} has no MX record and no address: it cannot receive mail.`, [...evidence, ...(domainA ? describeAnswer(domainA) : [])], { severity: 'fail' }));
    }
    return { findings, office365: false, domainMissing: false, nullMx: false };
  }
  const nulls = records.filter((r) => r.exchange === '');
  if (nulls.length > 0) {
    if (records.length === nulls.length) {
      findings.push(finding(F.MX_NULL, d, `${d} publishes a null MX: it accepts no mail.`, evidence));
      return { findings, office365: false, domainMissing: false, nullMx: true };
    }
    findings.push(finding(F.MX_NULL_WITH_OTHERS, d, `${d} mixes a null MX with ${records.length - nulls.length} other MX record(s).`, evidence));
  }
  const real = records.filter((r) => r.exchange !== '');
  const seen = new Set<string>();
  for (const r of real) {
    if (seen.has(r.exchange)) findings.push(finding(F.MX_DUPLICATE, d, `${r.exchange} is listed more than once in the MX records of ${d}.`, evidence));
    seen.add(r.exchange);
  }
  let usable = 0;
  for (const host of hosts) {
    if (host.ipLiteral) {
      findings.push(finding(F.MX_TARGET_IP_LITERAL, host.host, `The MX of ${d} is the IP address ${host.host}, not a host name.`, evidence));
      continue;
    }
    const answers = [host.a, host.aaaa].filter((a): a is DnsAnswer => a !== undefined);
    const chain = answers.find((a) => a.cnameChain.length > 0);
    if (chain) findings.push(finding(F.MX_TARGET_CNAME, host.host, `The MX host ${host.host} is a CNAME (-> ${chain.cnameChain.join(' -> ')}).`, answers.flatMap(describeAnswer)));
    if (host.addresses.length > 0) usable += 1;
    else if (!answers.some(isFailure)) {
      findings.push(finding(F.MX_TARGET_NO_ADDRESS, host.host, `The MX host ${host.host} has no A or AAAA record.`, answers.flatMap(describeAnswer)));
    }
  }
  if (usable > 0 && findings.some((f) => f.code === 'MX_TARGET_NO_ADDRESS')) {
    // Other hosts still take mail: a broken backup is a warning, not an outage.
    for (let i = 0; i < findings.length; i++) if (findings[i]!.code === 'MX_TARGET_NO_ADDRESS') findings[i] = { ...findings[i]!, severity: 'warn' };
  }
  const o365 = real.filter((r) => isOffice365Host(r.exchange));
  const legacy = real.filter((r) => isLegacyOffice365Host(r.exchange));
  for (const r of legacy) findings.push(finding(F.MX_OFFICE365_LEGACY, r.exchange, `The MX ${r.exchange} is a retired Office 365 host; Exchange Online answers 451 4.4.62 ATTR35.`, evidence));
  for (const r of o365) {
    if (!matchesExpected(d, r.exchange)) {
      findings.push(finding(F.MX_OFFICE365_UNEXPECTED_HOST, r.exchange, `The MX ${r.exchange} is Office 365, but the host for ${d} is usually ${expectedOffice365Host(d)}.`, evidence));
    }
  }
  const others = real.filter((r) => !isOffice365Host(r.exchange) && !isLegacyOffice365Host(r.exchange));
  if ((o365.length > 0 || legacy.length > 0) && others.length > 0) {
    findings.push(finding(F.MX_MIXED, d, `The MX records of ${d} mix Office 365 (${[...o365, ...legacy].map((r) => r.exchange).join(', ')}) and other hosts (${others.map((r) => r.exchange).join(', ')}).`, evidence));
  }
  if (o365.length > 0) {
    findings.push(finding(F.MX_OFFICE365, d, `Mail for ${d} goes to Office 365 (${o365.map((r) => r.exchange).join(', ')}).`, evidence));
  }
  findings.push(finding(F.MX_OK, d, `${real.length} MX host(s): ${hosts.map((h) => `${h.preference} ${h.host} (${h.addresses.length > 0 ? h.addresses.join(', ') : [h.a, h.aaaa].some((a) => a !== undefined && isFailure(a)) ? 'address lookup failed' : 'no address'})`).join('; ')}.`, [...evidence, ...hosts.flatMap((h) => [h.a, h.aaaa].filter((a): a is DnsAnswer => a !== undefined).flatMap(describeAnswer))]));
  return { findings, office365: o365.length > 0 || legacy.length > 0, domainMissing: false, nullMx: false };
}
