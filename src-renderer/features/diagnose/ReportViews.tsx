import type { CheckReport } from '../../../src-main/contract/check';
import { formatDateTime } from '../../../src-main/contract/time';
import type { Finding } from '../../../src-main/contract/findings';
import type { ProbeReport } from '../../../src-main/contract/probe';
import { certificateSummaryWord } from '../../../src-main/contract/words';
import { EmptyState } from '../../components/Messages';
import { InlineCode } from '../../components/InlineCode';
import { SeverityBadge } from '../../components/StatusBadge';
import { AREA_TITLES, groupFindings } from '../../state/findings-view';
import { ExportButtons } from '../export/ExportButtons';
import { VerdictBanner } from './VerdictBanner';

/**
 * A check or probe report, shown as text: every string in a report may come
 * from a hostile peer (banners, certificate fields, DNS records) and is only
 * ever rendered as React text, never as HTML.
 */
export function FindingsByArea({ findings }: { readonly findings: readonly Finding[] }) {
  const groups = groupFindings(findings);
  if (groups.length === 0) return <EmptyState title="No findings." />;
  return (
    <div className="findings" data-testid="findings">
      {groups.map((g) => (
        <section key={g.area} className="finding-group" aria-label={AREA_TITLES[g.area]} data-testid={`findings-${g.area}`}>
          <h4>{AREA_TITLES[g.area]}</h4>
          <ul>
            {g.findings.map((f, i) => (
              <li key={`${f.code}-${i}`} className={`finding severity-${f.severity}`} data-code={f.code}>
                <details>
                  <summary>
                    <SeverityBadge severity={f.severity} /> <span className="finding-message"><InlineCode text={f.message} /></span> <span className="muted code-name">{f.code}</span>
                  </summary>
                  <p><InlineCode text={f.explanation} /></p>
                  {f.fix && (
                    <p>
                      <strong>Fix:</strong> <InlineCode text={f.fix} />
                    </p>
                  )}
                  {f.evidence.length > 0 && (
                    <ul className="evidence">
                      {f.evidence.map((ev, j) => (
                        <li key={j}>
                          <code>{ev}</code>
                        </li>
                      ))}
                    </ul>
                  )}
                  <p className="muted">About: {f.subject}</p>
                </details>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

export function CheckReportView({ report }: { readonly report: CheckReport }) {
  return (
    <div className="check-report" data-testid="check-report">
      <h3>
        {report.domainUnicode}
        {report.domainUnicode !== report.domain && <span className="muted"> ({report.domain})</span>}
      </h3>
      <p className="muted">
        Checked {formatTime(report.startedAt)} in {formatMs(report.elapsedMs)} using {report.resolver}.
      </p>
      {report.verdict && <VerdictBanner verdict={report.verdict} />}
      <h4>Findings</h4>
      <FindingsByArea findings={report.findings} />
      <h4>MX records</h4>
      {report.findings.some((f) => f.code === 'MX_NULL') ? (
        <p data-testid="mx-table">Accepts no mail (null MX).</p>
      ) : report.mx.length === 0 ? (
        <EmptyState title="No MX records." />
      ) : (
        <table className="mx-table" data-testid="mx-table">
          <thead>
            <tr>
              <th scope="col">Preference</th>
              <th scope="col">Host</th>
              <th scope="col">Addresses</th>
              <th scope="col">TLSA</th>
            </tr>
          </thead>
          <tbody>
            {report.mx.map((m, i) => (
              <tr key={`${m.host}-${i}`}>
                <td>{m.preference}</td>
                <td>{m.host}</td>
                <td>{m.addresses.join(', ') || m.addressError || 'none found'}</td>
                <td>{m.tlsa.length > 0 ? `${m.tlsa.length} record${m.tlsa.length === 1 ? '' : 's'}` : 'none'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.mx.flatMap((m) => m.probes).map((p, i) => (
        <ProbeView key={`${p.host}-${p.address}-${i}`} probe={p} />
      ))}
    </div>
  );
}

/**
 * One line on what the probe got to. "No STARTTLS offered" only when the
 * server answered EHLO without it: a refused connection or a silent server
 * says nothing about STARTTLS.
 */
export function probeSummary(probe: ProbeReport): string {
  if (probe.tls) return `Encrypted with ${probe.tls.version} (${probe.tls.cipher}).`;
  if (probe.starttls) return 'STARTTLS offered, but TLS was not set up.';
  if (probe.mode === 'implicit-tls') return 'TLS could not be set up.';
  if (probe.capabilities) return 'No STARTTLS offered.';
  const failed = probe.stages.find((s) => s.status === 'failed');
  if (failed?.name === 'connect') return 'Could not connect, so STARTTLS could not be checked.';
  return `The conversation ended ${failed ? `at the ${failed.name} stage` : 'early'}, before the server said whether it offers STARTTLS.`;
}

export function ProbeView({ probe }: { readonly probe: ProbeReport }) {
  const total = Math.max(1, probe.elapsedMs, ...probe.stages.map((s) => s.startMs + s.durationMs));
  return (
    <section className="probe" aria-label={`SMTP probe of ${probe.host} at ${probe.address} port ${probe.port}`} data-testid="probe-report">
      <h4>
        {probe.host} <span className="muted">({probe.host === probe.address ? '' : `${probe.address} `}port {probe.port})</span>
      </h4>
      <p>
        {probeSummary(probe)} Took{' '}
        {formatMs(probe.elapsedMs)}.
      </p>
      {probe.banner !== null && (
        <p>
          Greeting: <code data-testid="probe-banner">{probe.banner}</code>
        </p>
      )}
      {probe.certificateVerdict && (
        <p data-testid="cert-verdict">
          Certificate: <strong>{CERT_SUMMARY_WORDS[certificateSummaryWord(probe.certificateVerdict)] ?? probe.certificateVerdict.summary}</strong>
          {probe.certificateVerdict.trustAnchor ? ` (chain to ${probe.certificateVerdict.trustAnchor})` : ''}
          {probe.certificateVerdict.missingIssuer ? `: the server did not send the intermediate certificate ${probe.certificateVerdict.missingIssuer}` : ''}; name {probe.certificateVerdict.hostnameChecked}{' '}
          {probe.certificateVerdict.hostnameMatches ? 'matches' : 'does not match'}.
        </p>
      )}
      {probe.capabilities && (
        <p className="muted">
          Server offers: <span className="mono">{(probe.capabilitiesTls ?? probe.capabilities).raw.join(', ') || 'nothing'}</span>
        </p>
      )}
      <h5>Stages</h5>
      <ol className="waterfall" data-testid="waterfall">
        {probe.stages.map((s, i) => (
          <li key={`${s.name}-${i}`} className={`stage stage-${s.status}`}>
            <span className="stage-name">{s.name}</span>
            <span className="stage-track" aria-hidden="true">
              <span className="stage-bar" style={{ left: `${(s.startMs / total) * 100}%`, width: `${Math.max(0.5, (s.durationMs / total) * 100)}%` }} />
            </span>
            <span className="stage-time">
              {s.status === 'skipped' ? 'skipped' : `${s.status === 'failed' ? 'failed after ' : ''}${formatMs(s.durationMs)}`}
              {s.detail ? ` — ${s.detail}` : ''}
            </span>
          </li>
        ))}
      </ol>
      {probe.certificates.length > 0 && (
        <>
          <h5>Certificate chain</h5>
          <ol className="cert-chain" data-testid="cert-chain">
            {probe.certificates.map((c, i) => (
              <li key={`${c.fingerprintSha256}-${i}`} className="cert">
                <dl>
                  <dt>Subject</dt>
                  <dd>{c.subject}</dd>
                  <dt>Names</dt>
                  <dd>{c.subjectAltNames.join(', ') || 'none'}</dd>
                  <dt>Issuer</dt>
                  <dd>{c.issuer}</dd>
                  <dt>Valid</dt>
                  <dd>
                    {c.validFrom} to {c.validTo} ({c.daysLeft < 0 ? `expired ${-c.daysLeft} days ago` : `${c.daysLeft} days left`})
                  </dd>
                  <dt>Key</dt>
                  <dd>
                    {c.keyType}
                    {c.keyBits ? ` ${c.keyBits} bits` : ''}, signed with {c.signatureAlgorithm}
                  </dd>
                  <dt>SHA-256</dt>
                  <dd className="mono">{c.fingerprintSha256}</dd>
                </dl>
              </li>
            ))}
          </ol>
        </>
      )}
      {probe.predictions.length > 0 && (
        <>
          <h5>Exchange Online connectors: what would happen</h5>
          <table className="predictions" data-testid="predictions">
            <thead>
              <tr>
                <th scope="col">Direction</th>
                <th scope="col">Setting</th>
                <th scope="col">Verdict</th>
                <th scope="col">Why, and the fix</th>
              </tr>
            </thead>
            <tbody>
              {probe.predictions.map((p, i) => (
                <tr key={i} data-verdict={p.verdict}>
                  <td>{p.direction}</td>
                  <td>{p.setting}</td>
                  <td>
                    <span className={`badge verdict-${p.verdict}`}>
                      <span aria-hidden="true">{p.verdict === 'pass' ? '✓' : p.verdict === 'fail' ? '✗' : '?'}</span> {p.verdict === 'pass' ? 'Passes' : p.verdict === 'fail' ? 'Fails' : 'Unknown'}
                    </span>
                    {p.ndr && <div className="muted">NDR {p.ndr}</div>}
                  </td>
                  <td>
                    {p.verdict === 'pass' || p.reasons.length === 0 ? (
                      <>
                        {p.reason} <span className="muted">{p.fix}</span>
                      </>
                    ) : (
                      <ol className="prediction-reasons" data-testid="prediction-reasons">
                        {p.reasons.map((r, j) => (
                          <li key={j} data-kind={r.kind}>
                            {r.text} <span className="muted">Fix: {r.fix}</span>
                          </li>
                        ))}
                      </ol>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {probe.dane.length > 0 && (
        <>
          <h5>
            DANE (TLSA)
            {probe.daneAuthenticated === false
              ? probe.daneDnssec === 'insecure'
                ? ' — not DNSSEC-signed (proven insecure)'
                : probe.daneDnssec === 'unknown'
                  ? ' — DNSSEC not validated: the resolver used does not validate'
                  : ' — not DNSSEC-authenticated'
              : ''}
          </h5>
          <ul className="dane">
            {probe.dane.map((d, i) => (
              <li key={i}>
                {d.usage} {d.selector} {d.matchingType}: {d.result} — {d.detail}
              </li>
            ))}
          </ul>
        </>
      )}
      <h5>Findings</h5>
      <FindingsByArea findings={probe.findings} />
      <details className="transcript-box" open>
        <summary>
          SMTP conversation ({probe.transcript.length} line{probe.transcript.length === 1 ? '' : 's'}{probe.transcriptTruncated ? ', cut short' : ''})
        </summary>
        <pre className="transcript" data-testid="transcript">
          {probe.transcript.map((l, i) => (
            <span key={i} className={`line line-${l.direction}`}>
              {`${l.t.toFixed(0).padStart(5, ' ')} ms ${l.direction === 'sent' ? 'C:' : l.direction === 'received' ? 'S:' : '--'} ${l.text}\n`}
            </span>
          ))}
        </pre>
      </details>
    </section>
  );
}

/** One run, a domain check or a server probe (History's entries carry more; only these two are read). */
export type Run = { readonly kind: 'check'; readonly report: CheckReport } | { readonly kind: 'probe'; readonly report: ProbeReport };

/** A run's report with its export buttons: what Diagnose shows after a run and History when one is reopened. */
export function RunReport({ run }: { readonly run: Run }) {
  return (
    <>
      {run.kind === 'check' ? <CheckReportView report={run.report} /> : <ProbeView probe={run.report} />}
      <ExportButtons subject={run.kind === 'check' ? { kind: 'check', report: run.report } : { kind: 'probe', report: run.report }} label="Export this run" />
    </>
  );
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The one time format of the app and its exports: the reader's locale, with the time zone. */
export function formatTime(iso: string): string {
  return formatDateTime(iso);
}

const CERT_SUMMARY_WORDS: Readonly<Record<string, string>> = {
  trusted: 'trusted',
  'trusted by your CA file only': 'trusted by your CA file only (not by Exchange Online)',
  'self-signed': 'self-signed (not trusted)',
  'untrusted-root': 'issued by a CA that is not trusted',
  'missing-intermediate': 'chain incomplete (intermediate certificate missing)',
  expired: 'expired',
  'not-yet-valid': 'not valid yet',
  'hostname-mismatch': 'made for another name',
  'weak-key': 'key too weak',
  sha1: 'signed with SHA-1',
  expiring: 'expiring soon',
};
