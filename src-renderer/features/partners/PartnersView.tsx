import { useCallback, useEffect, useRef, useState } from 'react';
import type { ResponseOf } from '../../../src-main/contract/api';
import { READINESS_SETTINGS, type PartnerExportFormat, type PartnerRow } from '../../../src-main/contract/partners';
import { useApi } from '../../api/ApiContext';
import { useAppState } from '../../app-context';
import { CopyButton } from '../../components/CopyButton';
import { EmptyState, ErrorMessage } from '../../components/Messages';
import { saveText } from '../../components/download';
import { sortRows, statusTone, type PartnersTable } from '../../state/partners';
import { formatTime } from '../diagnose/ReportViews';

type Details = ResponseOf<'partners:get'>;
type ImportResult = ResponseOf<'partners:import'>;

const EXPORTS: readonly { format: PartnerExportFormat; label: string }[] = [
  { format: 'html', label: 'Evidence report (HTML)' },
  { format: 'ps1', label: 'Connectors (.ps1)' },
  { format: 'csv', label: 'CSV' },
  { format: 'jsonl', label: 'JSON Lines' },
  { format: 'md', label: 'Messages (Markdown)' },
];

function StatusWords({ row }: { readonly row: Pick<PartnerRow, 'status' | 'statusWords'> }) {
  const look = statusTone(row.status);
  return (
    <span className={`badge status-${look.tone}`} data-status={row.status ?? 'unchecked'}>
      <span className="badge-icon" aria-hidden="true">{look.icon}</span>
      <span className="badge-text">{row.statusWords ?? 'Not checked'}</span>
    </span>
  );
}

/**
 * The partner TLS onboarding workbench: import a partner list, check it
 * (live table, cancel), open a partner for its evidence and the message to
 * send it, export the evidence report and the connectors' .ps1, re-check and
 * see what changed. Certificates expiring soon are listed at the top.
 */
export function PartnersView() {
  const api = useApi();
  // The table lives in the app state: the one event hook (api/use-main-events) streams a run's answers into it.
  const { state, dispatch, getState } = useAppState();
  const table = state.partners;
  const setTable = useCallback((next: (t: PartnersTable) => PartnersTable): void => dispatch({ type: 'partners-table', table: next(getState().partners) }), [dispatch, getState]);
  const [expiring, setExpiring] = useState<readonly PartnerRow[]>([]);
  const [windowDays, setWindowDays] = useState(30);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [imported, setImported] = useState<ImportResult | undefined>();
  const [pasted, setPasted] = useState('');
  const [profiles, setProfiles] = useState<readonly string[]>([]);
  const [picked, setPicked] = useState<readonly string[]>([]);
  const [details, setDetails] = useState<Details | undefined>();
  const [said, setSaid] = useState('');
  const runningJob = useRef<string | undefined>(undefined);
  const [running, setRunning] = useState(false);

  const load = useCallback(async () => {
    const result = await api.request('partners:list', {});
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setTable((t) => ({ ...t, rows: result.value.rows }));
    setExpiring(result.value.expiring);
    setWindowDays(result.value.expiryWindowDays);
    setLoaded(true);
  }, [api, setTable]);

  useEffect(() => {
    // Reading the register from main is what this effect synchronises with; its answer arrives after an await.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void load();
    void api.request('profiles:list', {}).then((r) => { if (r.ok) setProfiles(r.value.filter((p) => p.partners.length > 0).map((p) => p.name)); });
  }, [api, load]);

  const afterImport = async (result: Awaited<ReturnType<typeof api.request<'partners:import'>>>): Promise<void> => {
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setImported(result.value);
    await load();
  };
  const importFile = async (file: File): Promise<void> => {
    setError(undefined);
    if (file.size > 8 * 1024 * 1024) {
      setError(`${file.name} is larger than 8 MB; split the list.`);
      return;
    }
    await afterImport(await api.request('partners:import', { source: 'text', fileName: file.name, text: await file.text() }));
  };

  const run = async (scope: 'all' | 'failing' | 'selected'): Promise<void> => {
    setError(undefined);
    const jobId = `partners-${Date.now().toString(36)}`;
    runningJob.current = jobId;
    setRunning(true);
    setTable((t) => ({ ...t, run: { jobId, done: 0, total: scope === 'selected' ? picked.length : t.rows.length, notReady: 0 } }));
    const result = await api.request('partners:run', { jobId, scope, domains: scope === 'selected' ? [...picked] : [] });
    runningJob.current = undefined;
    setRunning(false);
    if (!result.ok && result.error.code !== 'CANCELLED') setError(result.error.message);
    if (result.ok) setTable((t) => ({ ...t, run: t.run ? { ...t.run, done: result.value.done, total: result.value.total } : undefined }));
    if (!result.ok && result.error.code === 'CANCELLED') setSaid('Cancelled: the partners checked so far are kept.');
    await load();
  };
  const cancel = async (): Promise<void> => {
    if (runningJob.current) await api.request('job:cancel', { jobId: runningJob.current });
  };

  const open = async (domain: string): Promise<void> => {
    const result = await api.request('partners:get', { domain });
    if (result.ok) setDetails(result.value);
    else setError(result.error.message);
  };

  const exportAs = async (format: PartnerExportFormat, domains?: readonly string[]): Promise<void> => {
    setError(undefined);
    const result = await api.request('partners:export', { format, ...(domains ? { domains: [...domains] } : {}) });
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    saveText(result.value.fileName, result.value.mimeType, result.value.text);
    setSaid(`Saved ${result.value.fileName}.`);
  };

  const toggle = (domain: string): void => setPicked((p) => (p.includes(domain) ? p.filter((d) => d !== domain) : [...p, domain]));
  const rows = sortRows(table.rows);
  const progress = table.run;

  return (
    <div className="partners" data-testid="partners">
      <h2>Partners</h2>
      <p className="muted">Check partner domains for enforced TLS: which TlsSettings would work, the message to send each partner that is not ready, and connectors for the ones that are.</p>
      {error && <ErrorMessage message={error} />}
      {expiring.length > 0 && (
        <section className="partners-expiring" aria-label="Certificates expiring soon" data-testid="partners-expiring">
          <h3>Certificates expired or expiring within {windowDays} days</h3>
          <ul>
            {expiring.map((r) => (
              <li key={r.domain}>
                <button type="button" className="link-button" onClick={() => void open(r.domain)}>{r.name ? `${r.name} (${r.domainUnicode})` : r.domainUnicode}</button>: {r.daysToExpiry !== null && r.daysToExpiry < 0 ? `expired ${-r.daysToExpiry} day(s) ago` : `${r.daysToExpiry} day(s) left`}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="partners-import" aria-label="Add partners">
        <h3>Add partners</h3>
        <div className="import-choices">
          <label>
            A CSV or text file (columns domain, name, tlsDomain, direction, contact, notes; or one domain per line){' '}
            <input type="file" accept=".csv,.txt,text/csv,text/plain" data-testid="partners-file" onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} />
          </label>
          <label>
            Or paste domains, addresses or URLs, one per line
            <textarea rows={4} value={pasted} onChange={(e) => setPasted(e.target.value)} data-testid="partners-paste" />
          </label>
          <button type="button" disabled={pasted.trim() === ''} data-testid="partners-paste-add" onClick={() => void api.request('partners:import', { source: 'text', text: pasted }).then(afterImport).then(() => setPasted(''))}>
            Add the pasted partners
          </button>
          {profiles.length > 0 && (
            <label>
              Or the partners of a profile{' '}
              <select defaultValue="" onChange={(e) => { if (e.target.value) void api.request('partners:import', { source: 'profile', profileName: e.target.value }).then(afterImport); }} data-testid="partners-profile">
                <option value="">Choose a profile…</option>
                {profiles.map((p) => <option key={p} value={p}>{p}</option>)}
              </select>
            </label>
          )}
        </div>
        {imported && (
          <div className="import-result" role="status" data-testid="partners-import-result">
            <p>
              Added {imported.added} partner(s){imported.updated > 0 ? `, updated ${imported.updated}` : ''}{imported.duplicatesMerged > 0 ? `, ${imported.duplicatesMerged} duplicate line(s) merged` : ''}.
              {imported.rejected.length > 0 ? ` ${imported.rejected.length + imported.rejectedNotListed} line(s) rejected:` : ''}
            </p>
            {imported.warnings.map((w) => <p key={w} className="warn-text">{w}</p>)}
            {imported.rejected.length > 0 && (
              <ul className="rejected-lines">
                {imported.rejected.slice(0, 50).map((r) => <li key={r.line}>Line {r.line}: {r.reason} <code>{r.text}</code></li>)}
              </ul>
            )}
          </div>
        )}
      </section>

      <div className="partners-actions" role="group" aria-label="Check partners">
        <button type="button" disabled={running || table.rows.length === 0} onClick={() => void run('all')} data-testid="partners-run-all">Check all</button>
        <button type="button" disabled={running || table.rows.length === 0} onClick={() => void run('failing')} data-testid="partners-run-failing">Check failing only</button>
        <button type="button" disabled={running || picked.length === 0} onClick={() => void run('selected')} data-testid="partners-run-selected">Check selected ({picked.length})</button>
        {running && <button type="button" className="danger" onClick={() => void cancel()} data-testid="partners-cancel">Cancel</button>}
        {progress && (
          <span className="partners-progress" data-testid="partners-progress">
            <progress max={Math.max(1, progress.total)} value={progress.done} aria-label="Partners checked" />{' '}
            {progress.done} / {progress.total} checked, {progress.notReady} not ready
          </span>
        )}
      </div>

      {loaded && table.rows.length === 0 ? (
        <EmptyState title="No partners yet." testId="partners-empty">
          <p>Add a partner list above: a CSV from your team, pasted domains, or the partners of a profile.</p>
        </EmptyState>
      ) : (
        <table className="partners-table" data-testid="partners-table">
          <thead>
            <tr>
              <th scope="col"><span className="visually-hidden">Select</span></th>
              <th scope="col">Status</th>
              <th scope="col">Partner</th>
              <th scope="col">Certificate</th>
              <th scope="col">Checked</th>
              <th scope="col">Since last run</th>
              <th scope="col">Summary</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.domain} data-testid="partners-row" data-domain={r.domain} data-status={r.status ?? 'unchecked'}>
                <td><input type="checkbox" aria-label={`Select ${r.domainUnicode}`} checked={picked.includes(r.domain)} onChange={() => toggle(r.domain)} /></td>
                <td><StatusWords row={r} /></td>
                <td>
                  <button type="button" className="link-button" onClick={() => void open(r.domain)} data-testid="partners-open">{r.domainUnicode}</button>
                  {r.name && <div className="muted">{r.name}</div>}
                </td>
                <td>{r.daysToExpiry === null ? '' : r.daysToExpiry < 0 ? `expired ${-r.daysToExpiry} d ago` : `${r.daysToExpiry} d left`}</td>
                <td>{r.checkedAt ? formatTime(r.checkedAt) : 'never'}</td>
                <td data-testid="partners-change">{r.change && r.change.kind !== 'first-check' ? r.change.words : ''}{r.failingSince && r.status && r.status !== 'ready' && r.status !== 'ready-with-warnings' ? ` Failing since ${formatTime(r.failingSince)}.` : ''}</td>
                <td className="summary-cell">{r.summary ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div className="export-buttons" role="group" aria-label="Export the last answers" data-testid="partners-exports">
        <span className="export-label">Export{picked.length > 0 ? ` (${picked.length} selected)` : ''}:</span>
        {EXPORTS.map((e) => (
          <button key={e.format} type="button" disabled={table.rows.every((r) => !r.checkedAt)} data-testid={`partners-export-${e.format}`} onClick={() => void exportAs(e.format, picked.length > 0 ? picked : undefined)}>
            {e.label}
          </button>
        ))}
        <span role="status" className="muted">{said}</span>
      </div>

      {details && <PartnerDetails details={details} onClose={() => setDetails(undefined)} onExport={(f) => void exportAs(f, [details.record.entry.domain])} />}
    </div>
  );
}

function PartnerDetails({ details, onClose, onExport }: { readonly details: Details; readonly onClose: () => void; readonly onExport: (format: PartnerExportFormat) => void }) {
  const { record, message } = details;
  const last = record.last;
  return (
    <section className="partner-details" aria-label={`Partner ${record.entry.domainUnicode}`} data-testid="partner-details">
      <h3>
        {record.entry.name ? `${record.entry.name} (${record.entry.domainUnicode})` : record.entry.domainUnicode}{' '}
        {last && <StatusWords row={last} />}
        <button type="button" className="quiet" onClick={onClose}>Close</button>
      </h3>
      {!last ? <p>Not checked yet.</p> : (
        <>
          <p>{last.summary}</p>
          <p className="muted">
            Checked {formatTime(last.checkedAt)}.{record.lastPassedAt ? ` Last passed ${formatTime(record.lastPassedAt)}.` : ' Never passed.'}
            {record.failingSince ? ` Failing since ${formatTime(record.failingSince)}.` : ''}{record.change ? ` ${record.change.words}` : ''}
          </p>
          <h4>Connector settings</h4>
          <table data-testid="partner-readiness">
            <thead><tr><th scope="col">Setting</th><th scope="col">Verdict</th><th scope="col">Value</th><th scope="col">Reason</th></tr></thead>
            <tbody>
              {READINESS_SETTINGS.map((s) => {
                const x = last.readiness[s];
                return (
                  <tr key={s}>
                    <td>{s}</td>
                    <td><span className={`badge verdict-${x.verdict === 'not-applicable' ? 'unknown' : x.verdict}`}>{x.verdict === 'not-applicable' ? 'n/a' : x.verdict}</span></td>
                    <td>{x.value ?? ''}</td>
                    <td>{x.reason}{x.verdict === 'fail' ? <><br /><strong>Fix:</strong> {x.fix}</> : null}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h4>MX hosts</h4>
          <ul className="partner-mx">
            {last.mx.map((m) => (
              <li key={`${m.host}/${m.address}`}>
                <strong>{m.preference} {m.host}</strong> ({m.address}): {m.reached ? (m.tlsVersion ? `TLS ${m.tlsVersion}` : 'no TLS') : 'not reached'}
                {m.failedStage ? `; failed at ${m.failedStage}: ${m.failure ?? ''}` : ''}
                {m.certificate && <div className="muted">Certificate {m.certificate.summary}: {m.certificate.subject}; issuer {m.certificate.issuer}; valid to {m.certificate.validTo} ({m.certificate.daysLeft} days)</div>}
              </li>
            ))}
          </ul>
        </>
      )}
      {message && (
        <>
          <h4>Message to the partner{record.entry.contact ? ` (${record.entry.contact})` : ''}</h4>
          <p><strong>Subject:</strong> {message.subject}</p>
          <pre className="partner-message" data-testid="partner-message">{message.text}</pre>
          <CopyButton text={`Subject: ${message.subject}\n\n${message.text}`} label="Copy the message" testId="partner-copy-message" />{' '}
          <CopyButton text={message.markdown} label="Copy as Markdown" />
        </>
      )}
      <div className="export-buttons" role="group" aria-label="Export this partner">
        <button type="button" onClick={() => onExport('html')} disabled={!last}>Evidence report (HTML)</button>
        <button type="button" onClick={() => onExport('ps1')} disabled={!last}>Connectors (.ps1)</button>
      </div>
    </section>
  );
}
