import type { CheckReport, MxEntry, ProgressEvent } from '../../contract/check';
import { CHECK_SCHEMA_VERSION } from '../../contract/check';
import type { DnsAnswer, RecordType } from '../../contract/dns';
import type { Finding } from '../../contract/findings';
import { sortFindings } from '../../contract/finding-order';
import type { ProbeReport } from '../../contract/probe';
import type { Clock } from '../clock';
import { finding } from '../findings';
import type { Resolver } from '../dns/resolver';
import { normalizeDomain } from '../dns/domain';
import { F } from './catalogue';
import { isFailure, outcomeWords, type CheckContext } from './context';
import { checkAutodiscover } from './autodiscover';
import { checkDmarc } from './dmarc';
import { judgeDkim, lookupSelector, OFFICE365_SELECTORS } from './dkim';
import { addressesOf } from '../dns/answers';
import { checkReverse, judgeDane, tlsaRecords } from './host';
import { fetchHttps as defaultFetchHttps, type FetchHttps } from './https-fetch';
import { checkMtaSts } from './mta-sts';
import { analyseMx, isIpLiteral, isLegacyOffice365Host, isOffice365Host, sortedMx, type MxHost } from './mx';
import { dnssecStatus, resolverValidation, type ResolverValidation } from '../dns/dnssec';
import { deliveryVerdict, raiseWhenValidationImpossible, softenConnectionFailures, softenedSubjects } from '../connectors/delivery';
import { checkSpf } from './spf';
import { checkTlsRpt } from './tls-rpt';
import { DEFAULT_ENGINE_BOUNDS, type EngineBounds, type EngineContext } from '../context';
import { boundAddresses } from '../smtp/probe-host';

export { F as CHECK_FINDINGS } from './catalogue';
export type { FetchHttps, HttpsGetRequest, HttpsGetResult } from './https-fetch';

export interface CheckDeps {
  readonly resolver: Resolver;
  readonly clock: Clock;
  /** Deadline of each network step (DNS exchange, HTTPS fetch). */
  readonly timeoutMs: number;
  /** Extra PEM trust anchors (--ca-file), for the MTA-STS fetch. */
  readonly caCertificates?: readonly string[];
  /** Injectable HTTPS GET (default: node:https with RFC 8461 rules). */
  readonly fetchHttps?: FetchHttps;
  /** Port of the MTA-STS policy server (443; tests use a loopback port). */
  readonly mtaStsPort?: number;
  /** DKIM selectors to check besides selector1/selector2. */
  readonly dkimSelectors?: readonly string[];
  readonly onProgress?: (event: Omit<ProgressEvent, 'jobId'>) => void;
  readonly signal?: AbortSignal;
  /**
   * The SMTP port whose TLSA records are looked up (`_<port>._tcp.<mx>`, RFC 6698/7672);
   * the port the MX hosts are probed on, so DNS and probe judge the same records. Default 25.
   */
  readonly smtpPort?: number;
  /**
   * Called for every MX as soon as its addresses are known (SMTP probes, issue 3).
   * `tlsa` is the check's own TLSA lookup of that MX, still in flight: the probe
   * matches it against the certificate instead of asking DNS again.
   */
  readonly probeMx?: (mx: { host: string; preference: number; addresses: readonly string[]; tlsa: Promise<DnsAnswer> }) => Promise<ProbeReport[]>;
  /** How many MX hosts, and addresses of each, are looked up further and probed (the engine context's bounds). */
  readonly bounds?: Pick<EngineBounds, 'maxMxHosts' | 'maxAddressesPerHost'>;
  /** The session these deps were made from (CLI run, app session): MX probes run in it. */
  readonly context?: EngineContext;
}

const FAILURE_SPEC = { timeout: F.DNS_TIMEOUT, servfail: F.DNS_SERVFAIL, refused: F.DNS_SERVFAIL, 'network-error': F.DNS_NETWORK_ERROR } as const;

/** Turns every failed lookup into DNS findings, one per kind of failure, naming each lookup. */
function dnsFailureFindings(domain: string, failed: readonly DnsAnswer[]): Finding[] {
  const byCode = new Map<string, DnsAnswer[]>();
  for (const answer of failed) {
    const spec = FAILURE_SPEC[answer.outcome as keyof typeof FAILURE_SPEC];
    byCode.set(spec.code, [...(byCode.get(spec.code) ?? []), answer]);
  }
  return [...byCode.values()].map((answers) => {
    const first = answers[0]!;
    const spec = FAILURE_SPEC[first.outcome as keyof typeof FAILURE_SPEC];
    const subject = answers.length === 1 ? first.name : domain;
    const what = answers.length === 1 ? `The lookup of ${first.name} ${first.type}` : `${answers.length} lookups`;
    const happened = first.outcome === 'timeout'
      ? `got ${outcomeWords(first)} from ${first.server}`
      : `${first.outcome === 'network-error' ? 'failed with a network error' : 'got a server failure'} (resolver ${first.server})`;
    return finding(spec, subject, `${what} ${happened}; the checks that need ${answers.length === 1 ? 'it' : 'them'} are incomplete.`,
      // A timeout's words already say how long (deadline, tries, total); other failures say when they came.
      answers.map((a) => `${a.name} ${a.type}: ${outcomeWords(a)} from ${a.server}${a.outcome === 'timeout' ? '' : ` after ${a.elapsedMs} ms`}`));
  });
}

/** The contract's one ordering (worst first, then by area), kept here for the engine's callers. */
export { sortFindings };

/**
 * The delivery verdict on a finished report, and what it changes: when no MX
 * can pass CertificateValidation, every certificate problem causing it is a
 * failure (in the report's findings and in each probe's), and the findings
 * are sorted worst first. Idempotent: callers that change findings afterwards
 * (the CLI's PORT25_BLOCKED summary) call it again.
 */
export function withVerdict(report: CheckReport): CheckReport {
  const draft = deliveryVerdict(report);
  const softened = softenedSubjects(report, draft);
  const raise = (findings: readonly Finding[]): Finding[] => softenConnectionFailures(raiseWhenValidationImpossible(findings, draft.validatedTlsPossible), softened);
  const mx = report.mx.map((m) => ({ ...m, probes: m.probes.map((p) => ({ ...p, findings: raise(p.findings) })) }));
  const findings = sortFindings(raise(report.findings));
  return { ...report, mx, findings, verdict: deliveryVerdict({ domain: report.domain, mx, findings }) };
}

/** The words for a failed address lookup: a timeout is not "no address". */
function lookupError(answers: readonly (DnsAnswer | undefined)[]): string | undefined {
  const failedAnswer = answers.find((a): a is DnsAnswer => a !== undefined && isFailure(a));
  return failedAnswer ? `address lookup failed: ${outcomeWords(failedAnswer)}` : undefined;
}

/**
 * `check <domain>`: every lookup starts as soon as what it depends on is
 * known. At t=0: MX, the domain's addresses, SPF, DMARC, DKIM selectors,
 * autodiscover, MTA-STS record and policy host, TLS-RPT. When the domain has
 * no DMARC record: the `_dmarc` of every parent name, all at once (one more
 * round trip, whatever the depth). When the MX answer
 * arrives: each host's addresses and TLSA (one lookup per host, shared with
 * its SMTP probe); when a host's addresses arrive:
 * its PTRs (and the SMTP probe). Judgements that combine results (SPF and
 * DKIM against "is the MX Office 365") wait for data only, never add lookups
 * to a chain.
 */
export async function runCheck(domainInput: string, deps: CheckDeps): Promise<CheckReport> {
  const { ascii: domain, unicode } = normalizeDomain(domainInput);
  const startedAt = deps.clock.now();
  const smtpPort = deps.smtpPort ?? 25;
  const failed: DnsAnswer[] = [];
  const probeErrors: Finding[] = [];
  const progress = (step: string, status: ProgressEvent['status'], detail?: string): void =>
    deps.onProgress?.({ step, status, atMs: deps.clock.now() - startedAt, ...(detail !== undefined ? { detail } : {}) });
  const ctx: CheckContext = {
    domain,
    async query(name: string, type: RecordType, options?: { readonly quiet?: boolean }) {
      const step = `dns:${type} ${name}`;
      progress(step, 'started');
      const answer = await deps.resolver.query(name, type, deps.signal ? { signal: deps.signal } : undefined);
      if (isFailure(answer)) {
        if (options?.quiet !== true) ctx.reportFailure(answer);
        progress(step, 'failed', outcomeWords(answer));
      } else {
        progress(step, 'done', answer.outcome);
      }
      return answer;
    },
    reportFailure(answer: DnsAnswer) {
      if (!failed.some((f) => f.name === answer.name && f.type === answer.type)) failed.push(answer);
    },
  };

  let validationP: Promise<ResolverValidation> | undefined;
  const validation = (): Promise<ResolverValidation> =>
    (validationP ??= resolverValidation({ query: (name, type) => ctx.query(name, type, { quiet: true }) }));
  const mxAnswerP = ctx.query(domain, 'MX');
  const domainAP = ctx.query(domain, 'A');
  const domainAaaaP = ctx.query(domain, 'AAAA');
  const bounds = deps.bounds ?? DEFAULT_ENGINE_BOUNDS;
  const boundFindings: Finding[] = [];
  const mxListP = mxAnswerP.then((answer) => {
    const seen = new Set<string>();
    const all = sortedMx(answer).filter((r) => r.exchange !== '' && !seen.has(r.exchange) && Boolean(seen.add(r.exchange)));
    if (all.length <= bounds.maxMxHosts) return all;
    // A hostile zone must not start thousands of lookups and probes: the first hosts in preference order only.
    const kept = all.slice(0, bounds.maxMxHosts);
    const left = all.slice(bounds.maxMxHosts);
    boundFindings.push(finding(F.MX_HOSTS_CAPPED, domain, `${domain} has ${all.length} MX hosts; only the first ${kept.length} in preference order were looked up and probed, ${left.length} left out.`,
      [`checked: ${kept.map((r) => `${r.preference} ${r.exchange}`).join(', ')}`, `not checked: ${left.slice(0, 10).map((r) => `${r.preference} ${r.exchange}`).join(', ')}${left.length > 10 ? ` and ${left.length - 10} more` : ''}`]));
    return kept;
  });
  const hostsP = mxListP.then((list) => Promise.all(list.map(async (r) => {
    const host = r.exchange;
    if (isIpLiteral(host)) {
      const mx: MxHost = { host, preference: r.preference, ipLiteral: true, addresses: [] };
      return { mx, tlsa: undefined, reverse: [] as { address: string; findings: Finding[] }[], probes: [] as ProbeReport[] };
    }
    // TLSA records without AD: ask once whether this resolver validates at all, so the answer can be read (issue 8).
    const tlsaP = ctx.query(`_${smtpPort}._tcp.${host}`, 'TLSA').then(async (answer): Promise<DnsAnswer> =>
      (tlsaRecords(answer).length === 0 ? answer : { ...answer, dnssec: dnssecStatus(answer, answer.authenticated ? undefined : await validation()) }));
    const [a, aaaa] = await Promise.all([ctx.query(host, 'A'), ctx.query(host, 'AAAA')]);
    const addresses = addressesOf(a, aaaa);
    const { chosen, findings: capped } = boundAddresses(host, addresses, bounds.maxAddressesPerHost);
    boundFindings.push(...capped);
    const probesP = deps.probeMx && chosen.length > 0
      ? deps.probeMx({ host, preference: r.preference, addresses: chosen, tlsa: tlsaP }).catch((error: unknown) => {
        // A prober that throws is a bug, not a verdict on the server: say so instead of dropping the MX silently.
        probeErrors.push(finding(F.MX_PROBE_FAILED, host, `The SMTP probe of ${host} could not run: ${error instanceof Error ? error.message : String(error)}.`));
        return [] as ProbeReport[];
      })
      : Promise.resolve([] as ProbeReport[]);
    // Microsoft's own hosts are not the domain owner's to fix: no reverse-DNS findings for them.
    const reverseP = isOffice365Host(host) || isLegacyOffice365Host(host)
      ? Promise.resolve([] as { address: string; findings: Finding[] }[])
      : Promise.all(chosen.map(async (address) => ({ address, findings: await checkReverse(ctx, host, address) })));
    const [tlsa, reverse, probes] = await Promise.all([tlsaP, reverseP, probesP]);
    const mx: MxHost = { host, preference: r.preference, ipLiteral: false, a, aaaa, addresses };
    return { mx, tlsa, reverse, probes };
  })));
  const userSelectors = [...new Set((deps.dkimSelectors ?? []).map((s) => s.trim().toLowerCase()).filter((s) => s !== ''))];
  const selectorsP = Promise.all([...new Set([...OFFICE365_SELECTORS, ...userSelectors])].map((s) => lookupSelector(ctx, s)));
  const spfP = checkSpf(ctx);
  const dmarcP = checkDmarc(ctx);
  const autodiscoverP = checkAutodiscover(ctx);
  const mtaStsP = checkMtaSts(ctx, {
    fetchHttps: deps.fetchHttps ?? defaultFetchHttps,
    caCertificates: deps.caCertificates ?? [],
    timeoutMs: deps.timeoutMs,
    port: deps.mtaStsPort ?? 443,
    ...(deps.signal ? { signal: deps.signal } : {}),
  }, mxListP.then((list) => list.map((r) => r.exchange)));
  const tlsRptP = checkTlsRpt(ctx, Promise.all([mtaStsP, hostsP]).then(([sts, hosts]) => sts.present || hosts.some((h) => h.tlsa !== undefined && tlsaRecords(h.tlsa).length > 0)));

  const [mxAnswer, domainA, domainAaaa, hosts, selectors, spf, dmarc, autodiscover, mtaSts, tlsRpt] = await Promise.all([
    mxAnswerP, domainAP, domainAaaaP, hostsP, selectorsP, spfP, dmarcP, autodiscoverP, mtaStsP, tlsRptP,
  ]);
  const mx = analyseMx(ctx, mxAnswer, hosts.map((h) => h.mx), domainA, domainAaaa);
  let findings: Finding[];
  if (mx.domainMissing) {
    findings = mx.findings;
  } else {
    findings = [
      ...mx.findings,
      ...spf.findings,
      ...spf.finish(mx.office365),
      ...dmarc,
      // A null-MX domain takes no mail: DKIM, autodiscover, MTA-STS and TLS-RPT have nothing to say about it.
      ...(mx.nullMx ? [] : judgeDkim(domain, selectors, userSelectors, mx.office365)),
      ...(mx.nullMx ? [] : autodiscover),
      ...(mx.nullMx ? [] : mtaSts.findings),
      ...(mx.nullMx ? [] : tlsRpt),
      ...judgeDane(domain, hosts.flatMap((h) => (h.tlsa ? [{ host: h.mx.host, answer: h.tlsa }] : [])), validationP ? await validationP : undefined),
      ...reverseFindings(hosts),
      ...hosts.flatMap((h) => h.probes.flatMap((p) => p.findings)),
      ...probeErrors,
      ...boundFindings,
    ];
  }
  findings = [...dnsFailureFindings(domain, failed), ...findings];
  const entries: MxEntry[] = hosts.map((h) => ({
    host: h.mx.host,
    preference: h.mx.preference,
    addresses: [...h.mx.addresses],
    ...(h.mx.addresses.length === 0 && lookupError([h.mx.a, h.mx.aaaa]) ? { addressError: lookupError([h.mx.a, h.mx.aaaa])! } : {}),
    tlsa: h.tlsa ? tlsaRecords(h.tlsa) : [],
    probes: h.probes,
  }));
  return withVerdict({
    schemaVersion: CHECK_SCHEMA_VERSION,
    domain,
    domainUnicode: unicode,
    startedAt: new Date(startedAt).toISOString(),
    elapsedMs: Math.round(deps.clock.now() - startedAt),
    resolver: deps.resolver.label ?? 'resolver',
    findings: sortFindings(findings),
    mx: entries,
  });
}

/**
 * Reverse DNS once per address: MX hosts that share an address (mx1 and mx2
 * on one server) get one finding naming both, not one each.
 */
function reverseFindings(hosts: ReadonlyArray<{ readonly mx: MxHost; readonly reverse: ReadonlyArray<{ address: string; findings: Finding[] }> }>): Finding[] {
  const byAddress = new Map<string, { hosts: string[]; findings: Finding[] }>();
  for (const h of hosts) {
    for (const { address, findings } of h.reverse) {
      const entry = byAddress.get(address);
      if (entry) entry.hosts.push(h.mx.host);
      else byAddress.set(address, { hosts: [h.mx.host], findings });
    }
  }
  return [...byAddress.entries()].flatMap(([address, { hosts: names, findings }]) =>
    findings.map((f) => (names.length > 1 ? { ...f, subject: `${names.join(', ')} (${address})` } : f)));
}
export { comparisonFindings } from './compare';
