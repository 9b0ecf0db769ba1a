import type { CheckReport, DeliveryVerdict, MxEntry, MxWalkStep, SettingVerdict } from '../../contract/check';
import type { Finding } from '../../contract/findings';
import { SEVERITY_ORDER, type Severity } from '../../contract/finding-order';
import type { ConnectorPrediction, ProbeReport, TlsSetting } from '../../contract/probe';

/**
 * The delivery verdict of a domain (issue 8), from a finished check report:
 * the MX list walked as a sending MTA walks it (preference order, every
 * address, on to the next when one refuses or times out), so a refused
 * primary with a working secondary reads "delivered via the secondary", not
 * an outage. Pure: no network.
 */

const TLS_SETTINGS: readonly TlsSetting[] = ['EncryptionOnly', 'CertificateValidation', 'DomainValidation'];

/** Findings that mean the domain takes no mail at all, on purpose or not. */
const NO_MAIL_CODES = new Set(['MX_NULL', 'DOMAIN_NOT_FOUND']);

function stepOf(mx: MxEntry, probe: ProbeReport): MxWalkStep {
  const base = { host: mx.host, preference: mx.preference, address: probe.address };
  const failed = probe.stages.find((s) => s.status === 'failed');
  const detail = failed?.detail ?? '';
  const unavailable = probe.findings.find((f) => f.code === 'SMTP_SERVICE_UNAVAILABLE');
  const greeted = probe.stages.some((s) => s.name === 'banner' && s.status === 'ok') || probe.banner !== null;
  if (failed?.name === 'connect' || (!greeted && failed === undefined)) {
    if (/^ECONNREFUSED/.test(detail)) return { ...base, outcome: 'refused', detail: 'refused the connection' };
    if (/^(TIMEOUT|ETIMEDOUT)|timeout/i.test(detail)) return { ...base, outcome: 'timeout', detail: 'did not answer (connection timed out)' };
    return { ...base, outcome: 'unreachable', detail: `could not be reached${detail ? ` (${detail})` : ''}` };
  }
  if (unavailable && (!greeted || failed?.name === 'banner' || failed?.name === 'ehlo' || failed?.name === 'helo')) {
    return { ...base, outcome: 'rejected', detail: `refused the session (${unavailable.evidence[0]?.split('\n')[0] ?? '421/554'})` };
  }
  if (!greeted) {
    if (/ECONNRESET|EPIPE|closed/i.test(detail)) return { ...base, outcome: 'closed', detail: 'closed the connection before its greeting' };
    return { ...base, outcome: 'no-greeting', detail: 'sent no greeting in time' };
  }
  return { ...base, outcome: 'accepted', detail: probe.tls ? `greeted and took ${probe.tls.version}` : 'greeted' };
}

function prediction(probe: ProbeReport, setting: TlsSetting): ConnectorPrediction | undefined {
  return probe.predictions.find((p) => p.direction === 'outbound' && p.setting === setting);
}

function isModernTls(probe: ProbeReport): boolean {
  return probe.tls !== null && !/^TLSv1(\.[01])?$/.test(probe.tls.version);
}

function settingVerdict(setting: TlsSetting, walk: ReadonlyArray<{ mx: MxEntry; probe: ProbeReport; step: MxWalkStep }>): SettingVerdict {
  const hosts = walk.flatMap(({ mx, probe }) => {
    const p = prediction(probe, setting);
    return p ? [{ host: mx.host, address: probe.address, verdict: p.verdict }] : [];
  });
  // Only servers that took the session say anything about TLS: an unreachable MX is skipped by the sender anyway.
  const reached = walk.flatMap(({ mx, probe, step }) => {
    const p = prediction(probe, setting);
    return p && step.outcome === 'accepted' ? [{ host: mx.host, address: probe.address, verdict: p.verdict }] : [];
  });
  const first = reached.find((h) => h.verdict === 'pass');
  if (first) {
    const before = reached.slice(0, reached.indexOf(first)).filter((h) => h.verdict === 'fail');
    return {
      verdict: 'pass', via: first.host, hosts,
      text: `${setting}: passes through ${first.host}${before.length > 0 ? ` (after ${[...new Set(before.map((h) => h.host))].join(', ')}, which fail${before.length === 1 ? 's' : ''} it)` : ''}.`,
    };
  }
  if (reached.some((h) => h.verdict === 'fail')) {
    const failing = [...new Set(reached.filter((h) => h.verdict === 'fail').map((h) => h.host))];
    const unknown = reached.some((h) => h.verdict === 'unknown');
    return {
      verdict: unknown ? 'unknown' : 'fail', via: null, hosts,
      text: unknown
        ? `${setting}: fails on ${failing.join(', ')}; the other MX hosts could not be told.`
        : `${setting}: no MX can pass ${setting} (${failing.join(', ')} fail${failing.length === 1 ? 's' : ''} it).`,
    };
  }
  const why = walk.length === 0 ? ' (the MX hosts were not probed)' : reached.length === 0 ? ' (no MX took the session)' : setting === 'DomainValidation' ? ' (give the connector\'s TlsDomain with --tls-domain)' : '';
  return { verdict: 'unknown', via: null, hosts, text: `${setting}: not known${why}.` };
}

function worstOf(severities: readonly Severity[]): Severity {
  return severities.reduce<Severity>((worst, s) => (SEVERITY_ORDER[s] > SEVERITY_ORDER[worst] ? s : worst), 'ok');
}

function words(step: MxWalkStep): string {
  return `${step.host}${step.address ? ` (${step.address})` : ''} ${step.detail}`;
}

export function deliveryVerdict(report: Pick<CheckReport, 'domain' | 'mx' | 'findings'>): DeliveryVerdict {
  const { domain, findings } = report;
  const noMail = findings.find((f) => NO_MAIL_CODES.has(f.code) || (f.code === 'MX_MISSING' && f.severity === 'fail'));
  const walk: Array<{ mx: MxEntry; probe: ProbeReport; step: MxWalkStep }> = [];
  const steps: MxWalkStep[] = [];
  let via: DeliveryVerdict['via'] = null;
  let viaProbe: ProbeReport | null = null;
  for (const mx of report.mx) {
    if (mx.addresses.length === 0) {
      steps.push({ host: mx.host, preference: mx.preference, address: null, outcome: 'no-address', detail: mx.addressError ? `could not be resolved (${mx.addressError})` : 'has no address' });
      continue;
    }
    if (mx.probes.length === 0) {
      steps.push({ host: mx.host, preference: mx.preference, address: null, outcome: 'not-probed', detail: 'was not probed' });
      continue;
    }
    for (const probe of mx.probes) {
      const step = stepOf(mx, probe);
      walk.push({ mx, probe, step });
      if (!via) {
        steps.push(step);
        if (step.outcome === 'accepted') {
          via = { host: mx.host, address: probe.address, preference: mx.preference };
          viaProbe = probe;
        }
      }
    }
  }

  const tlsSettings = Object.fromEntries(TLS_SETTINGS.map((s) => [s, settingVerdict(s, walk)])) as DeliveryVerdict['tlsSettings'];
  const certificate = tlsSettings.CertificateValidation;
  const validatedTlsPossible = certificate.verdict === 'pass' ? true : certificate.verdict === 'fail' ? false : null;
  const summary: string[] = [];
  let delivery: DeliveryVerdict['delivery'];
  let encrypted: DeliveryVerdict['encrypted'] = 'unknown';
  const contributions: Severity[] = [];
  const skipped = steps.filter((s) => s.outcome !== 'accepted' && s.outcome !== 'not-probed');

  if (noMail) {
    delivery = 'accepts-no-mail';
    summary.push(noMail.code === 'MX_NULL' ? `${domain} accepts no mail (null MX): Exchange Online bounces mail to it at once.` : `${domain} accepts no mail: ${noMail.message}`);
  } else if (via && viaProbe) {
    delivery = 'delivered';
    summary.push(`Mail from Exchange Online is delivered to ${domain} through ${via.host} (${via.address}, preference ${via.preference})${skipped.length > 0 ? `, after ${skipped.map(words).join('; ')}: a sending MTA moves on to the next MX, so this is not an outage` : ''}.`);
    encrypted = isModernTls(viaProbe) ? 'yes' : 'no';
    summary.push(encrypted === 'yes'
      ? `Encrypted: ${viaProbe.tls?.version ?? 'TLS'} with ${via.host}.`
      : `Not encrypted: ${via.host} ${viaProbe.tls ? `negotiates only ${viaProbe.tls.version}` : viaProbe.starttls ? 'offers STARTTLS but TLS could not be set up' : 'does not offer STARTTLS'}, so mail travels in plain text (opportunistic TLS).`);
    if (skipped.length > 0) contributions.push('warn');
    if (encrypted === 'no') contributions.push('warn');
  } else if (steps.length === 0 || steps.every((s) => s.outcome === 'not-probed')) {
    delivery = 'unknown';
    const mxLookupFailed = findings.some((f) => f.area === 'dns' && f.evidence.some((e) => e.startsWith(`${domain} MX:`)));
    summary.push(report.mx.length === 0
      ? `Delivery to ${domain} is not known: ${mxLookupFailed ? 'the MX lookup failed' : 'no MX host was found'}.`
      : `Delivery to ${domain} is not known: the MX hosts were not probed.`);
  } else if (walk.length > 0 && walk.every((w) => w.step.outcome === 'timeout')) {
    delivery = 'unknown';
    summary.push(`Delivery to ${domain} is not known: port 25 timed out to every MX from here (this network may block port 25).`);
  } else {
    delivery = 'not-delivered';
    summary.push(`Mail from Exchange Online would not be delivered to ${domain}: ${steps.map(words).join('; ')}. Mail queues and bounces after the retry time.`);
    contributions.push('fail');
  }

  if (delivery !== 'accepts-no-mail' && walk.length === 0) {
    summary.push('TlsSettings: not known until the MX hosts are probed.');
  } else if (delivery !== 'accepts-no-mail') {
    for (const setting of TLS_SETTINGS) summary.push(tlsSettings[setting].text);
    if (validatedTlsPossible === false) {
      summary.push('Validated TLS to this domain is not possible: no MX can pass CertificateValidation.');
      contributions.push('fail');
    }
    const domainValidation = tlsSettings.DomainValidation;
    if (domainValidation.verdict === 'fail') contributions.push('fail');
  }
  const worst = worstOf([...findings.map((f) => f.severity), ...contributions]);
  return { delivery, via, mxWalk: steps, encrypted, tlsSettings, validatedTlsPossible, worst, summary };
}

/** Certificate problems that each make CertificateValidation fail. */
const CERTIFICATE_VALIDATION_BREAKERS = new Set(['TLS_CERT_SELF_SIGNED', 'TLS_CERT_UNTRUSTED', 'TLS_CHAIN_INCOMPLETE', 'TLS_CERT_EXPIRED', 'TLS_CERT_NOT_YET_VALID', 'TLS_CERT_WEAK_KEY', 'TLS_CERT_SHA1']);

/**
 * When no MX can pass CertificateValidation, every certificate problem that
 * causes it is a failure: a self-signed certificate is then as bad as an
 * expired one (issue 8, defect 7).
 */
export function raiseWhenValidationImpossible(findings: readonly Finding[], validatedTlsPossible: boolean | null): Finding[] {
  if (validatedTlsPossible !== false) return [...findings];
  return findings.map((f) => (CERTIFICATE_VALIDATION_BREAKERS.has(f.code) && f.severity !== 'fail' ? { ...f, severity: 'fail' as const } : f));
}

/** Findings that say one address could not take the session. */
const CONNECTION_FAILURES = new Set(['SMTP_CONNECT_REFUSED', 'SMTP_CONNECT_TIMEOUT', 'SMTP_HOST_UNREACHABLE', 'SMTP_CONNECTION_RESET', 'SMTP_CONNECTION_CLOSED', 'SMTP_BANNER_TIMEOUT', 'SMTP_SERVICE_UNAVAILABLE']);

/**
 * Mail still gets through another MX: a refused or silent MX is then a
 * warning (a broken backup or primary to repair), not an outage. Returns the
 * subjects (`host (address:port)`) whose connection failures are softened.
 */
export function softenedSubjects(report: Pick<CheckReport, 'mx'>, verdict: Pick<DeliveryVerdict, 'delivery'>): Set<string> {
  if (verdict.delivery !== 'delivered') return new Set();
  return new Set(report.mx.flatMap((m) => m.probes.flatMap((p) => p.findings.filter((f) => CONNECTION_FAILURES.has(f.code)).map((f) => f.subject))));
}

export function softenConnectionFailures(findings: readonly Finding[], subjects: ReadonlySet<string>): Finding[] {
  if (subjects.size === 0) return [...findings];
  return findings.map((f) => (CONNECTION_FAILURES.has(f.code) && f.severity === 'fail' && subjects.has(f.subject)
    ? { ...f, severity: 'warn' as const, message: f.message.endsWith('(another MX takes the mail)') ? f.message : `${f.message} (another MX takes the mail)` }
    : f));
}
