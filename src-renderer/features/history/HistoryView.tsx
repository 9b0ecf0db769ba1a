import { useEffect, useState } from 'react';
import type { HistoryEntry, ResponseOf } from '../../../src-main/contract/api';
import type { Finding } from '../../../src-main/contract/findings';
import { useApi } from '../../api/ApiContext';
import { useAppState } from '../../app-context';
import { actorName } from '../../state/actors';
import { observationFromProbes, probesOfCheck, requiredTlsSetting, targetForInput } from '../../state/observations';
import { EmptyState, ErrorMessage } from '../../components/Messages';
import { SeverityBadge } from '../../components/StatusBadge';
import { compareCheckRuns, compareFindings, type RunComparison } from '../../state/compare-runs';
import { formatMs, formatTime, RunReport } from '../diagnose/ReportViews';

type Opened = ResponseOf<'history:get'>;

/** Past runs: reopen one, or pick two runs of one target and compare their findings. */
export function HistoryView() {
  const api = useApi();
  const { getState, rememberObservations } = useAppState();
  const [applied, setApplied] = useState<string | undefined>();
  const [entries, setEntries] = useState<readonly HistoryEntry[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [opened, setOpened] = useState<Opened | undefined>();
  const [picked, setPicked] = useState<readonly string[]>([]);
  const [comparison, setComparison] = useState<{ a: Opened; b: Opened; diff: RunComparison } | undefined>();

  /** Bumped to read the list again (after a delete). */
  const [listVersion, setListVersion] = useState(0);
  useEffect(() => {
    let live = true;
    void api.request('history:list', {}).then((result) => {
      if (!live) return;
      if (result.ok) setEntries(result.value);
      else setError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [api, listVersion]);

  const open = async (id: string): Promise<void> => {
    setError(undefined);
    setComparison(undefined);
    setApplied(undefined);
    const result = await api.request('history:get', { id });
    if (!result.ok) return setError(result.error.message);
    setOpened(result.value);
    // A run of one of the profile's servers or partners puts its TLS result back on the diagram.
    const { profile, plan } = getState();
    const record = result.value;
    const typed = record.kind === 'check' ? record.report.domain : record.report.host;
    const target = targetForInput(profile, typed);
    if (!target) return;
    const observation = observationFromProbes(target, record.kind === 'check' ? probesOfCheck(record.report) : [record.report], requiredTlsSetting(plan, target));
    if (!observation) return;
    await rememberObservations([{ ...observation, at: record.entry.at }]);
    setApplied(`The TLS result of this run (${formatTime(record.entry.at)}) for ${actorName(target === 'own-server' ? 'john' : target, profile)} is on the diagram again.`);
  };

  const remove = async (id: string): Promise<void> => {
    const result = await api.request('history:delete', { id });
    if (!result.ok) return setError(result.error.message);
    setPicked((p) => p.filter((x) => x !== id));
    if (opened?.entry.id === id) setOpened(undefined);
    setListVersion((v) => v + 1);
  };

  const toggle = (id: string): void => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));

  const compare = async (): Promise<void> => {
    setError(undefined);
    setComparison(undefined);
    const [first, second] = picked;
    if (!first || !second) return;
    const [a, b] = await Promise.all([api.request('history:get', { id: first }), api.request('history:get', { id: second })]);
    if (!a.ok || !b.ok) {
      setError((!a.ok ? a.error.message : !b.ok ? b.error.message : '') || 'A run could not be opened.');
      return;
    }
    if (a.value.entry.target !== b.value.entry.target) {
      setError(`Compare two runs of the same target: these are ${a.value.entry.target} and ${b.value.entry.target}.`);
      return;
    }
    // Older run first, so "added" means "new since then".
    const [older, newer] = a.value.entry.at <= b.value.entry.at ? [a.value, b.value] : [b.value, a.value];
    setOpened(undefined);
    const diff = older.kind === 'check' && newer.kind === 'check' ? compareCheckRuns(older.report, newer.report) : compareFindings(older.report.findings, newer.report.findings);
    setComparison({ a: older, b: newer, diff });
  };

  return (
    <div className="history" data-testid="history">
      <h2>History</h2>
      {error && <ErrorMessage message={error} />}
      {entries === undefined ? (
        <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <EmptyState title="No runs yet." testId="history-empty">
          <p>Every diagnosis is kept here, so you can reopen it or compare it with a later one.</p>
        </EmptyState>
      ) : (
        <>
          <table className="history-table" data-testid="history-table">
            <thead>
              <tr>
                <th scope="col">Compare</th>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Result</th>
                <th scope="col">Took</th>
                <th scope="col">
                  <span className="visually-hidden">Delete</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="history-row">
                  <td>
                    <input type="checkbox" aria-label={`Pick ${e.target} at ${formatTime(e.at)} for comparing`} checked={picked.includes(e.id)} onChange={() => toggle(e.id)} />
                  </td>
                  <td>{formatTime(e.at)}</td>
                  <td>
                    <button type="button" className="link-button" onClick={() => void open(e.id)}>
                      {e.kind === 'check' ? 'Domain' : 'Server'} {e.target}
                    </button>
                  </td>
                  <td>
                    <SeverityBadge severity={e.worstSeverity} />
                  </td>
                  <td>{e.elapsedMs !== undefined ? formatMs(e.elapsedMs) : ''}</td>
                  <td>
                    <button type="button" className="quiet danger" aria-label={`Delete the run of ${e.target} at ${formatTime(e.at)}`} onClick={() => void remove(e.id)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" disabled={picked.length !== 2} onClick={() => void compare()} data-testid="history-compare">
            Compare the two picked runs
          </button>
        </>
      )}
      {comparison && <ComparisonView {...comparison} />}
      {applied && (
        <p className="note" role="status" data-testid="history-applied">
          {applied}
        </p>
      )}
      {opened && (
        <section className="history-opened" data-testid="history-opened">
          <RunReport run={opened} />
        </section>
      )}
    </div>
  );
}

function ComparisonView({ a, b, diff }: { a: Opened; b: Opened; diff: RunComparison }) {
  return (
    <section className="comparison" data-testid="comparison" aria-label="Comparison">
      <h3>
        {b.entry.target}: {formatTime(a.entry.at)} compared with {formatTime(b.entry.at)}
      </h3>
      {diff.note && (
        <p className="muted" data-testid="comparison-note">
          {diff.note}
        </p>
      )}
      <p data-testid="comparison-summary">
        {diff.added.length + diff.removed.length + diff.changed.length === 0
          ? `No difference: both runs found the same ${diff.unchanged === 1 ? 'thing' : `${diff.unchanged} things`}.`
          : `${diff.added.length} new, ${diff.removed.length} gone, ${diff.changed.length} changed, ${diff.unchanged} the same.`}
      </p>
      <FindingLines title="New since the earlier run" findings={diff.added} />
      <FindingLines title="Gone since the earlier run" findings={diff.removed} />
      {diff.changed.length > 0 && (
        <>
          <h4>Changed</h4>
          <ul>
            {diff.changed.map((c, i) => (
              <li key={i}>
                <span className="muted">{c.after.code}</span>: <SeverityBadge severity={c.before.severity} /> {c.before.message} → <SeverityBadge severity={c.after.severity} /> {c.after.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** A titled list of findings, one line each; nothing when there are none. */
function FindingLines({ title, findings }: { readonly title: string; readonly findings: readonly Finding[] }) {
  if (findings.length === 0) return null;
  return (
    <>
      <h4>{title}</h4>
      <ul>
        {findings.map((f, i) => (
          <li key={i}>
            <SeverityBadge severity={f.severity} /> {f.message} <span className="muted">{f.code}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
