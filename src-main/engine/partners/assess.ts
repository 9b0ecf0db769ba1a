import type { ConnectorPrediction, ProbeReport } from '../../contract/probe';
import {
  PARTNER_SCHEMA_VERSION, PARTNER_STATUS_WORDS,
  type PartnerEntry, type PartnerMxResult, type PartnerResult, type PartnerStatus, type SettingReadiness,
} from '../../contract/partners';
import { publicIpv4RangeRule, parseIpv4Cidr } from '../../contract/rules';
import { predictInbound, predictOutbound, type ConnectorFacts } from '../connectors/predict';
import { oneLineName } from '../tls/certificate-info';
import { parsePemBundle } from '../tls/trust-store';
import type { SpfRanges } from './spf-ranges';

/**
 * The adapter between the engine's per-probe facts and the partner
 * workbench: given what DNS and the SMTP probes found for one partner domain,
 * the readiness of each way a partner connector can be set, the TlsDomain
 * that would pass for every MX (or why none can), one status word, the days
 * to the first certificate expiry and the evidence.
 *
 * This is the one place that reads probe reports for partners: when the
 * engine gains per-host reason lists and a delivery verdict, only this file
 * changes. Pure: no network.
 */
export interface MxObservation {
  readonly host: string;
  readonly preference: number;
  readonly probes: readonly ProbeReport[];
}

export interface DomainObservation {
  readonly partner: PartnerEntry;
  /**
   * ok: MX hosts found (or the implicit MX); nxdomain / null-mx / no-mail:
   * the domain takes no mail; dns-failed: the MX lookup itself failed.
   */
  readonly dns: 'ok' | 'nxdomain' | 'null-mx' | 'no-mail' | 'dns-failed';
  /** DNS problems in words (lookup failures, hosts without address). */
  readonly dnsProblems: readonly string[];
  readonly mx: readonly MxObservation[];
  /** Inbound partners: the ranges their SPF authorises (undefined: not looked up). */
  readonly spf?: SpfRanges;
  /** Certificates expiring within this many days make the partner "Ready with warnings". */
  readonly expiryWindowDays: number;
  /**
   * Rehearsal (`--public-ca`): trust anchors (one-line subjects) that are
   * treated as if Exchange Online trusted them, for a lab or before a
   * certificate purchase. Chains ending there count as publicly trusted.
   */
  readonly rehearsalAnchors?: readonly string[];
}

export type PartnerAssessment = Omit<PartnerResult, 'message' | 'checkedAt' | 'elapsedMs'>;

type Verdict = SettingReadiness['verdict'];
type HostVerdict = SettingReadiness['hosts'][number];

// ---------------------------------------------------------------- facts from a probe report

const REACH_BY_FINDING: ReadonlyArray<readonly [string, ConnectorFacts['reached']]> = [
  ['SMTP_CONNECT_REFUSED', 'refused'],
  ['SMTP_CONNECT_TIMEOUT', 'timeout'],
  ['SMTP_HOST_UNREACHABLE', 'unreachable'],
  ['SMTP_CONNECTION_RESET', 'reset'],
  ['SMTP_CONNECTION_CLOSED', 'closed'],
  ['SMTP_BANNER_TIMEOUT', 'closed'],
];

/** The server greeted us with a reply (any code): the conversation started. */
function greeted(report: ProbeReport): boolean {
  const banner = report.stages.find((s) => s.name === 'banner');
  if (!banner) return false;
  return banner.status === 'ok' || /^\d{3}\b/.test(banner.detail ?? '');
}

/** The leaf's SAN DNS names and CNs, as Exchange Online compares TlsDomain. */
/** `--public-ca` / Settings' rehearsal CAs: their one-line subjects, as the verdict names its trust anchor. */
export function rehearsalSubjects(pems: readonly string[]): string[] {
  return pems.flatMap((pem) => parsePemBundle(pem)).map((certificate) => oneLineName(certificate.subject));
}

export function leafNamesOf(report: ProbeReport): string[] {
  const leaf = report.certificates[0];
  if (!leaf) return [];
  const san = leaf.subjectAltNames.filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4));
  const cn = leaf.subject.split(', ').filter((p) => p.startsWith('CN=')).map((p) => p.slice(3));
  return [...new Set([...san, ...cn])];
}

/** Rebuilds the probe's connector facts from its report (the report keeps every one of them). */
export function factsOf(report: ProbeReport, rehearsalAnchors: readonly string[] = []): ConnectorFacts {
  const codes = new Set(report.findings.map((f) => f.code));
  const reached = greeted(report) ? 'ok' : (REACH_BY_FINDING.find(([code]) => codes.has(code))?.[1] ?? 'error');
  const tlsFailure: ConnectorFacts['tlsFailure'] = codes.has('TLS_HANDSHAKE_TIMEOUT') ? 'handshake-timeout'
    : codes.has('TLS_HANDSHAKE_FAILED') ? 'handshake-failed'
      : codes.has('STARTTLS_REJECTED') ? 'rejected'
        : codes.has('STARTTLS_NOT_OFFERED') ? 'not-offered' : undefined;
  return {
    host: report.host,
    reached,
    starttlsOffered: report.starttls,
    tlsEstablished: report.tls !== null,
    ...(tlsFailure ? { tlsFailure } : {}),
    tlsVersion: report.tls?.version ?? null,
    verdict: rehearsed(report.certificateVerdict, rehearsalAnchors),
    leafNames: leafNamesOf(report),
    ...(report.daneAuthenticated !== null ? { dane: { authenticated: report.daneAuthenticated, results: report.dane } } : {}),
  };
}

function rehearsed(verdict: ProbeReport['certificateVerdict'], anchors: readonly string[]): ProbeReport['certificateVerdict'] {
  if (!verdict || verdict.trustAnchorSource !== 'extra' || !verdict.trustAnchor || !anchors.includes(verdict.trustAnchor)) return verdict;
  return { ...verdict, trustAnchorSource: 'public' };
}

// ---------------------------------------------------------------- per setting

interface Probed {
  readonly report: ProbeReport;
  readonly facts: ConnectorFacts;
}

const predictionOf = (predictions: readonly ConnectorPrediction[], setting: string): ConnectorPrediction | undefined =>
  predictions.find((p) => p.setting === setting);

/** Joins the hosts' verdicts: pass when every reached MX passes; fail when one reached MX fails. */
function aggregate(direction: 'outbound' | 'inbound', hosts: readonly HostVerdict[], predictions: readonly (ConnectorPrediction | undefined)[], passReason: string, value?: string): SettingReadiness {
  const failing = predictions.find((p) => p?.verdict === 'fail');
  const passing = hosts.filter((h) => h.verdict === 'pass');
  if (failing) {
    const failed = hosts.filter((h) => h.verdict === 'fail');
    const byReason = new Map<string, string[]>();
    for (const h of failed) byReason.set(h.reason, [...(byReason.get(h.reason) ?? []), `${h.host} (${h.address})`]);
    const reason = [...byReason].map(([why, where]) => `${where.join(', ')}: ${why}`).join(' ');
    return { direction, verdict: 'fail', reason, fix: failing.fix, ...(failing.ndr ? { ndr: failing.ndr } : {}), ...(value ? { value } : {}), hosts: [...hosts] };
  }
  if (passing.length === 0) {
    const first = predictions.find((p) => p !== undefined);
    return { direction, verdict: 'unknown', reason: first?.reason ?? 'No MX host could be reached, so nothing could be tested.', fix: first?.fix ?? 'Fix the connection problem, then check again.', ...(value ? { value } : {}), hosts: [...hosts] };
  }
  const skipped = hosts.length - passing.length;
  return {
    direction, verdict: 'pass',
    reason: `${passReason}${skipped > 0 ? ` (${skipped} MX address(es) could not be tested from here)` : ''}`,
    fix: 'Nothing to do.', ...(value ? { value } : {}), hosts: [...hosts],
  };
}

function hostVerdict(p: Probed, prediction: ConnectorPrediction | undefined): HostVerdict {
  return { host: p.report.host, address: p.report.address, verdict: prediction?.verdict ?? 'unknown', reason: prediction?.reason ?? 'Not tested.' };
}

function settingFor(probed: readonly Probed[], setting: 'EncryptionOnly' | 'CertificateValidation', passReason: string): SettingReadiness {
  const predictions = probed.map((p) => predictionOf(predictOutbound(p.facts), setting));
  return aggregate('outbound', probed.map((p, i) => hostVerdict(p, predictions[i])), predictions, passReason);
}

/**
 * Candidate names for TlsDomain / TlsSenderCertificateName, best first: a
 * name on the certificates as is, then `*.<parent>` of each, then the domain.
 */
function candidateNames(probed: readonly Probed[], domain: string): string[] {
  const names = probed.flatMap((p) => p.facts.leafNames).map((n) => n.toLowerCase().replace(/\.$/, ''));
  const exact = names.filter((n) => !n.startsWith('*.'));
  const wildcards = names.map((n) => (n.startsWith('*.') ? n : `*.${n.split('.').slice(1).join('.')}`)).filter((n) => n.split('.').length >= 3);
  return [...new Set([...exact, ...wildcards, domain])].slice(0, 60);
}

/** The first candidate every reached MX passes with, by `judge`. */
function commonName(probed: readonly Probed[], candidates: readonly string[], judge: (p: Probed, name: string) => boolean): string | undefined {
  return candidates.find((name) => probed.every((p) => judge(p, name)));
}

function domainValidation(partner: PartnerEntry, reached: readonly Probed[], all: readonly Probed[], certificate: SettingReadiness): SettingReadiness {
  const predict = (p: Probed, tlsDomain: string) => predictionOf(predictOutbound(p.facts, { tlsDomain }), 'DomainValidation');
  if (partner.tlsDomain) {
    const predictions = all.map((p) => predict(p, partner.tlsDomain!));
    return aggregate('outbound', all.map((p, i) => hostVerdict(p, predictions[i])), predictions, `Every MX certificate validates and names ${partner.tlsDomain}.`, partner.tlsDomain);
  }
  if (certificate.verdict !== 'pass') {
    const predictions = all.map((p) => predict(p, partner.domain));
    const base = aggregate('outbound', all.map((p, i) => hostVerdict(p, predictions[i])), predictions, '');
    return { ...base, verdict: certificate.verdict === 'fail' ? 'fail' : 'unknown', reason: `DomainValidation needs CertificateValidation to pass first. ${certificate.reason}`, fix: certificate.fix };
  }
  const name = commonName(reached, candidateNames(reached, partner.domain), (p, n) => predict(p, n)?.verdict === 'pass');
  if (name) {
    const predictions = all.map((p) => predict(p, name));
    return aggregate('outbound', all.map((p, i) => hostVerdict(p, predictions[i])), predictions, `TlsDomain ${name} matches the certificate of every MX.`, name);
  }
  const listing = reached.map((p) => `${p.report.host} names ${p.facts.leafNames.join(', ') || 'nothing'}`).join('; ');
  return {
    direction: 'outbound', verdict: 'fail',
    reason: `No single TlsDomain matches the certificates of every MX (${listing}).`,
    fix: `Put one name (e.g. *.${partner.domain}) on the certificate of every MX host, or use CertificateValidation.`,
    hosts: reached.map((p) => ({ host: p.report.host, address: p.report.address, verdict: 'unknown' as const, reason: `The certificate names ${p.facts.leafNames.join(', ') || 'nothing'}.` })),
  };
}

const NOT_APPLICABLE = (direction: 'outbound' | 'inbound', words: string): SettingReadiness =>
  ({ direction, verdict: 'not-applicable', reason: words, fix: 'Nothing to do.', hosts: [] });

function senderCertificate(partner: PartnerEntry, reached: readonly Probed[]): SettingReadiness {
  if (reached.length === 0) return { direction: 'inbound', verdict: 'unknown', reason: 'No certificate could be read from the partner\'s servers.', fix: 'Ask the partner which certificate its sending servers present.', hosts: [] };
  const predict = (p: Probed, name: string) => predictInbound(p.facts, { tlsSenderCertificateName: name })[0];
  const name = commonName(reached, candidateNames(reached, partner.domain), (p, n) => predict(p, n)?.verdict === 'pass');
  const assumption = 'assuming the partner sends from its MX hosts with the same certificate';
  if (name) {
    return {
      direction: 'inbound', verdict: 'pass', value: name,
      reason: `Every MX certificate validates and names ${name}; mail from the partner can be restricted to it (RestrictDomainsToCertificate), ${assumption}.`,
      fix: 'Confirm with the partner that its outgoing servers present this certificate.',
      hosts: reached.map((p) => ({ host: p.report.host, address: p.report.address, verdict: 'pass' as const, reason: `The certificate names ${name}.` })),
    };
  }
  const predictions = reached.map((p) => predict(p, partner.tlsDomain ?? partner.domain));
  const failing = predictions.find((p) => p?.verdict === 'fail');
  return {
    direction: 'inbound', verdict: 'fail',
    reason: `No certificate name that validates is shared by every MX (${assumption}): ${reached.map((p, i) => `${p.report.host}: ${predictions[i]?.reason ?? 'not tested'}`).join(' ')}`,
    fix: failing?.fix ?? 'Ask the partner for a certificate from a public CA naming its sending host, the same on every server.',
    ...(failing?.ndr ? { ndr: failing.ndr } : {}),
    hosts: reached.map((p, i) => hostVerdict(p, predictions[i])),
  };
}

/** IPv4 ranges a connector takes (/24 to /32); /20 to /23 are split into /24s. */
function connectorRanges(ranges: readonly string[]): { usable: string[]; problems: string[] } {
  const usable: string[] = [];
  const problems: string[] = [];
  for (const range of ranges) {
    const parsed = parseIpv4Cidr(range);
    if ('problem' in parsed) { problems.push(parsed.problem); continue; }
    if (parsed.prefix >= 20 && parsed.prefix < 24) {
      const base = ((parsed.octets[0] << 24) | (parsed.octets[1] << 16) | (parsed.octets[2] << 8)) >>> 0;
      for (let i = 0; i < 2 ** (24 - parsed.prefix); i++) {
        const n = (base & ~((2 ** (24 - parsed.prefix) - 1) << 8)) + (i << 8);
        const text = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.0/24`;
        const problem = publicIpv4RangeRule(text);
        if (problem) problems.push(problem); else usable.push(text);
      }
      continue;
    }
    const problem = publicIpv4RangeRule(range);
    if (problem) problems.push(problem); else usable.push(range);
  }
  return { usable, problems };
}

function senderAddresses(spf: SpfRanges | undefined): SettingReadiness {
  if (!spf) return { direction: 'inbound', verdict: 'unknown', reason: 'The SPF record was not looked up.', fix: 'Check again.', hosts: [] };
  if (spf.ipv4.length === 0 && spf.ipv6.length === 0) {
    return { direction: 'inbound', verdict: 'fail', reason: `The partner's SPF names no IP ranges${spf.problems.length > 0 ? ` (${spf.problems.join('; ')})` : ''}, so mail cannot be restricted by address.`, fix: 'Ask the partner for the addresses its mail is sent from (or restrict by certificate).', hosts: [] };
  }
  const { usable, problems } = connectorRanges(spf.ipv4);
  const notes = [
    ...problems,
    ...(spf.ipv6.length > 0 ? [`${spf.ipv6.length} IPv6 range(s) (${spf.ipv6.slice(0, 3).join(', ')}${spf.ipv6.length > 3 ? ', …' : ''}): connectors take IPv4 only, and mail from them would be rejected`] : []),
    ...(spf.complete ? [] : spf.problems),
  ];
  const values = usable.slice(0, 200);
  if (usable.length === 0) {
    return { direction: 'inbound', verdict: 'fail', reason: `None of the SPF ranges can go into SenderIPAddresses: ${notes.join('; ')}.`, fix: 'Restrict by certificate instead, or ask the partner for its outgoing IPv4 addresses (/24 to /32).', hosts: [] };
  }
  const verdict: Verdict = notes.length > 0 ? 'unknown' : 'pass';
  return {
    direction: 'inbound', verdict, values, value: values.join(', '),
    reason: verdict === 'pass'
      ? `The SPF record authorises ${usable.length} IPv4 range(s) a connector can take.`
      : `The SPF record gives ${usable.length} usable IPv4 range(s), but ${notes.join('; ')}.`,
    fix: verdict === 'pass' ? 'Confirm the ranges with the partner before restricting to them.' : 'Confirm the complete list of sending addresses with the partner before restricting to them.',
    hosts: [],
  };
}

// ---------------------------------------------------------------- evidence

function mxResult(p: Probed, preference: number): PartnerMxResult {
  const r = p.report;
  const failedStage = r.stages.find((s) => s.status === 'failed');
  const failing = r.findings.find((f) => f.severity === 'fail') ?? r.findings.find((f) => f.severity === 'warn' && f.area === 'smtp');
  const leaf = r.certificates[0];
  const danes = r.dane.map((d) => d.result);
  return {
    host: r.host, preference, address: r.address, port: r.port,
    reached: p.facts.reached === 'ok',
    ...(failedStage ? { failedStage: failedStage.name } : {}),
    ...(failedStage || failing ? { failure: failing?.message ?? failedStage?.detail ?? 'failed' } : {}),
    starttls: r.starttls,
    tlsVersion: r.tls?.version ?? null,
    certificate: leaf ? {
      subject: leaf.subject, issuer: leaf.issuer, validFrom: leaf.validFrom, validTo: leaf.validTo, daysLeft: leaf.daysLeft,
      names: [...p.facts.leafNames], summary: r.certificateVerdict?.summary ?? 'unknown',
      ...(r.certificateVerdict?.trustAnchorSource ? { trustAnchorSource: r.certificateVerdict.trustAnchorSource } : {}),
    } : null,
    chain: r.certificates.slice(0, 5).map((c) => ({ subject: c.subject, issuer: c.issuer, validTo: c.validTo, daysLeft: c.daysLeft })),
    dane: r.daneAuthenticated === null ? 'none' : !r.daneAuthenticated ? 'unauthenticated' : danes.includes('match') ? 'match' : danes.includes('mismatch') ? 'mismatch' : 'none',
    connectTimedOut: p.facts.reached === 'timeout',
  };
}

// ---------------------------------------------------------------- the partner

export function assessPartner(observation: DomainObservation): PartnerAssessment {
  const { partner } = observation;
  const rehearsal = observation.rehearsalAnchors ?? [];
  const probed: Probed[] = observation.mx.flatMap((m) => m.probes.map((report) => ({ report, facts: factsOf(report, rehearsal) })));
  const reached = probed.filter((p) => p.facts.reached === 'ok');
  const mx = observation.mx.flatMap((m) => m.probes.map((report) => mxResult({ report, facts: factsOf(report, rehearsal) }, m.preference)));
  const outboundUsed = partner.direction !== 'inbound';
  const inboundUsed = partner.direction !== 'outbound';

  const encryption = settingFor(probed, 'EncryptionOnly', `STARTTLS and TLS 1.2 or later work on every MX.`);
  const certificate = settingFor(probed, 'CertificateValidation', 'Every MX presents a certificate that validates to a trusted root.');
  const domain = domainValidation(partner, reached, probed, certificate);
  const readiness = {
    EncryptionOnly: encryption,
    CertificateValidation: certificate,
    DomainValidation: domain,
    TlsSenderCertificateName: inboundUsed ? senderCertificate(partner, reached) : NOT_APPLICABLE('inbound', 'The partner is outbound only.'),
    SenderIPAddresses: inboundUsed ? senderAddresses(observation.spf) : NOT_APPLICABLE('inbound', 'The partner is outbound only.'),
  };
  const certificates = reached.flatMap((p) => p.report.certificates);
  const daysToExpiry = certificates.length > 0 ? Math.min(...certificates.map((c) => c.daysLeft)) : null;

  const base = {
    schemaVersion: PARTNER_SCHEMA_VERSION,
    domain: partner.domain,
    domainUnicode: partner.domainUnicode,
    ...(partner.name ? { name: partner.name } : {}),
    direction: partner.direction,
    ...(partner.tlsDomain ? { tlsDomain: partner.tlsDomain } : {}),
    ...(partner.contact ? { contact: partner.contact } : {}),
    daysToExpiry,
    readiness,
    dns: [...observation.dnsProblems],
    mx,
  };
  const verdict = (status: PartnerStatus, summary: string, problems: readonly string[]): PartnerAssessment =>
    ({ ...base, status, statusWords: PARTNER_STATUS_WORDS[status], summary, problems: [...problems] });

  switch (observation.dns) {
    case 'nxdomain': return verdict('no-mail', `${partner.domainUnicode} does not exist in DNS (NXDOMAIN).`, [`${partner.domain} does not exist in DNS.`]);
    case 'null-mx': return verdict('no-mail', `${partner.domainUnicode} publishes a null MX: it accepts no mail.`, [`${partner.domain} publishes a null MX (RFC 7505).`]);
    case 'no-mail': return verdict('no-mail', `${partner.domainUnicode} has no MX record and no address: it cannot receive mail.`, [`${partner.domain} has neither MX nor A/AAAA records.`]);
    case 'dns-failed': return verdict('unreachable', `The MX lookup of ${partner.domainUnicode} failed, so nothing could be tested.`, observation.dnsProblems);
    case 'ok': break;
  }
  if (reached.length === 0) {
    const why = probed.length === 0 ? 'no MX host has an address' : mx.map((m) => `${m.host} (${m.address}): ${(m.failure ?? 'no answer').replace(/\.$/, '')}`).join('; ');
    return verdict('unreachable', `No MX of ${partner.domainUnicode} could be reached from here: ${why}.`, probed.length === 0 ? observation.dnsProblems : mx.map((m) => `${m.host} (${m.address}): ${(m.failure ?? 'no answer').replace(/\.$/, '')}`));
  }

  const problems: string[] = [];
  const warnings: string[] = [];
  if (outboundUsed) {
    const required = partner.tlsDomain ? domain : certificate;
    const label = partner.tlsDomain ? `DomainValidation (TlsDomain ${partner.tlsDomain})` : 'CertificateValidation';
    if (required.verdict !== 'pass') problems.push(`${label}: ${required.reason}`);
    if (encryption.verdict === 'fail') problems.unshift(`EncryptionOnly: ${encryption.reason}`);
    if (!partner.tlsDomain && domain.verdict === 'fail' && certificate.verdict === 'pass') warnings.push(`DomainValidation: ${domain.reason}`);
  }
  if (inboundUsed) {
    const byCert = readiness.TlsSenderCertificateName.verdict === 'pass';
    const byIp = readiness.SenderIPAddresses.verdict === 'pass';
    if (!outboundUsed && encryption.verdict === 'fail') problems.push(`TLS: ${encryption.reason}`);
    if (!byCert && !byIp) {
      const text = `Inbound: mail from the partner can be required over TLS but not restricted to it: by certificate, ${readiness.TlsSenderCertificateName.reason} By IP, ${readiness.SenderIPAddresses.reason}`;
      if (outboundUsed) warnings.push(text); else problems.push(text);
    }
  }
  const unreachable = mx.filter((m) => !m.reached);
  if (unreachable.length > 0) warnings.push(`${unreachable.length} MX address(es) could not be reached from here: ${unreachable.map((m) => `${m.host} (${m.address}): ${(m.failure ?? 'no answer').replace(/\.$/, '')}`).join('; ')}.`);
  if (daysToExpiry !== null && daysToExpiry <= observation.expiryWindowDays && daysToExpiry >= 0) {
    const first = reached.flatMap((p) => p.report.certificates.map((c) => ({ host: p.report.host, c }))).sort((a, b) => a.c.daysLeft - b.c.daysLeft)[0]!;
    warnings.push(`A certificate expires in ${daysToExpiry} day(s): ${first.c.subject} on ${first.host} (valid to ${first.c.validTo}).`);
  }
  if (mx.some((m) => m.dane === 'mismatch')) warnings.push('A DNSSEC-signed TLSA record does not match the certificate presented (DANE would fail).');
  warnings.push(...observation.dnsProblems);

  if (problems.length > 0) return verdict('not-ready', problems[0]!, [...problems, ...warnings]);
  const ready = outboundUsed
    ? `${partner.tlsDomain ? `DomainValidation with TlsDomain ${partner.tlsDomain}` : 'CertificateValidation'} would pass on every MX${domain.value && !partner.tlsDomain && domain.verdict === 'pass' ? ` (DomainValidation with TlsDomain ${domain.value} too)` : ''}.`
    : `Mail from the partner can be restricted by ${readiness.TlsSenderCertificateName.verdict === 'pass' ? `certificate (${readiness.TlsSenderCertificateName.value})` : 'IP ranges from its SPF'}.`;
  if (warnings.length > 0) return verdict('ready-with-warnings', `${ready} But: ${warnings[0]}`, warnings);
  return verdict('ready', ready, []);
}
