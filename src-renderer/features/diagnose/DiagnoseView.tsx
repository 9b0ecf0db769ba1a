import { useEffect, useMemo, useRef, useState } from 'react';
import type { ErrorValue } from '../../../src-main/contract/api';
import type { TlsObservation } from '../../../src-main/contract/planner';
import { useApi } from '../../api/ApiContext';
import { useAppState } from '../../app-context';
import { ErrorMessage, EmptyState } from '../../components/Messages';
import { runErrorText } from '../../components/error-text';
import { emptyProgress, reduceProgress, stepLabel, type JobProgress } from '../../state/job-progress';
import { diagnoseChoices, observationFromProbes, probesOfCheck, requiredTlsSetting, targetForInput } from '../../state/observations';
import { actorName } from '../../state/actors';
import { withObservations } from '../../state/app-state';
import { parseDiagnoseInput } from '../../state/diagnose-input';
import { formatMs, RunReport, type Run } from './ReportViews';

const PORTS = [25, 587, 465, 2525] as const;
/** How one diagnosis ended: its report, or the reason in words. */
type Outcome = { readonly jobId: string; readonly run: Run } | { readonly jobId: string; readonly run?: undefined; readonly error: string };

/**
 * Diagnose a domain (DNS, MX, and SMTP/TLS of each MX host) or one host:
 * live progress per stage, cancel, then the results. When the target is one
 * of the profile's servers or partners, the TLS result goes to the plan, so
 * the diagram shows "TLS failing" on its arrows.
 */
export function DiagnoseView() {
  const api = useApi();
  const { state, dispatch, buildPlan } = useAppState();
  const choices = useMemo(() => diagnoseChoices(state.profile), [state.profile]);
  const [kind, setKind] = useState<'domain' | 'host'>('domain');
  const [value, setValue] = useState('');
  const [port, setPort] = useState<(typeof PORTS)[number]>(25);
  const [probe, setProbe] = useState(true);
  const [progress, setProgress] = useState<JobProgress | undefined>();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Run | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [note, setNote] = useState<string | undefined>();
  const [batch, setBatch] = useState<readonly { label: string; outcome: string; ok: boolean | undefined }[]>([]);
  const jobRef = useRef<string | undefined>(undefined);
  const cancelledRef = useRef(false);

  useEffect(
    () =>
      api.subscribe('job:progress', (event) => {
        if (event.jobId === jobRef.current) setProgress((p) => (p ? reduceProgress(p, event) : p));
      }),
    [api],
  );

  /** One diagnosis as a new job, its progress shown live: a domain check or a server probe. */
  const diagnose = async (kind: 'domain' | 'host', target: string, options: { readonly probe: boolean; readonly port: (typeof PORTS)[number] }): Promise<Outcome> => {
    const jobId = newJobId();
    jobRef.current = jobId;
    setProgress(emptyProgress(jobId));
    const failed = (error: ErrorValue): Outcome => ({ jobId, error: error.code === 'CANCELLED' ? 'Cancelled.' : runErrorText(error) });
    if (kind === 'domain') {
      const reply = await api.request('check:run', { jobId, domain: target, probe: options.probe });
      return reply.ok ? { jobId, run: { kind: 'check', report: reply.value } } : failed(reply.error);
    }
    const reply = await api.request('probe:run', { jobId, host: target, port: options.port });
    return reply.ok ? { jobId, run: { kind: 'probe', report: reply.value } } : failed(reply.error);
  };

  /** What a run says about TLS towards one of the profile's servers or partners. */
  const observe = (target: string, run: Run): TlsObservation | undefined =>
    observationFromProbes(target, run.kind === 'check' ? probesOfCheck(run.report) : [run.report], requiredTlsSetting(state.profile, state.plan, target));

  const run = async (): Promise<void> => {
    if (!value.trim()) {
      setError(kind === 'domain' ? 'Type a mail domain, e.g. contoso.com.' : 'Type a host name or IP address, e.g. mail.contoso.com.');
      return;
    }
    const parsed = parseDiagnoseInput(kind, value, PORTS);
    if ('error' in parsed) {
      setError(parsed.error);
      return;
    }
    const input = parsed.target;
    const portToProbe = (parsed.port ?? port) as (typeof PORTS)[number];
    if (parsed.port !== undefined) setPort(portToProbe);
    setRunning(true);
    setError(undefined);
    setNote(undefined);
    setResult(undefined);
    const outcome = await diagnose(kind, input, { probe, port: portToProbe });
    setRunning(false);
    if (jobRef.current !== outcome.jobId) return;
    if (!outcome.run) {
      setError(outcome.error);
      return;
    }
    setResult(outcome.run);
    const target = targetForInput(state.profile, input);
    const observation = target ? observe(target, outcome.run) : undefined;
    if (target && observation) {
      dispatch({ type: 'observations-added', observations: [observation] });
      await buildPlan({ observations: withObservations(state.observations, [observation]) });
      const who = actorName(target === 'own-server' ? 'john' : target, state.profile);
      setNote(observation.ok ? `TLS works for ${who}; the diagram is updated.` : `TLS fails for ${who}: ${observation.message} The diagram shows it on the arrows.`);
    }
  };

  /** One click: every server and partner of the profile, one after another, then one plan with all TLS results. */
  const runAll = async (): Promise<void> => {
    const targets = choices.filter((c) => c.target !== undefined);
    cancelledRef.current = false;
    setRunning(true);
    setError(undefined);
    setNote(undefined);
    setResult(undefined);
    setBatch([]);
    const found: TlsObservation[] = [];
    for (const choice of targets) {
      if (cancelledRef.current) break;
      const outcome = await diagnose(choice.kind, choice.value, { probe: true, port: 25 });
      let line: { label: string; outcome: string; ok: boolean | undefined };
      if (!outcome.run) line = { label: choice.label, outcome: outcome.error, ok: undefined };
      else {
        const observation = observe(choice.target!, outcome.run);
        if (observation) found.push(observation);
        line = { label: choice.label, outcome: observation?.message ?? 'No mail server was reached, so TLS was not checked.', ok: observation?.ok };
      }
      setBatch((b) => [...b, line]);
    }
    setRunning(false);
    if (found.length === 0) return;
    // Per target, a failure on any of its hosts wins over a success on another.
    const merged = new Map<string, TlsObservation>();
    for (const o of found) if (!merged.has(o.target) || !o.ok) merged.set(o.target, o);
    const fresh = [...merged.values()];
    dispatch({ type: 'observations-added', observations: fresh });
    await buildPlan({ observations: withObservations(state.observations, fresh) });
    setNote(`Checked ${batchCount(fresh)}; the diagram shows the TLS results.`);
  };

  const cancel = (): void => {
    cancelledRef.current = true;
    const jobId = jobRef.current;
    if (jobId) void api.request('job:cancel', { jobId });
  };

  return (
    <div className="diagnose" data-testid="diagnose">
      <h2>Diagnose a domain or a mail server</h2>
      <form
        className="diagnose-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!running) void run();
        }}
      >
        <fieldset className="field choice">
          <legend>What to check</legend>
          <label className="choice-option">
            <input type="radio" name="diagnose-kind" checked={kind === 'domain'} onChange={() => setKind('domain')} data-testid="kind-domain" /> A mail domain (DNS, MX, then SMTP and TLS of each MX host)
          </label>
          <label className="choice-option">
            <input type="radio" name="diagnose-kind" checked={kind === 'host'} onChange={() => setKind('host')} data-testid="kind-host" /> One mail server (SMTP and TLS)
          </label>
        </fieldset>
        {choices.length > 0 && (
          <div className="field">
            <label htmlFor="diagnose-pick">From your profile</label>
            <select
              id="diagnose-pick"
              data-testid="diagnose-pick"
              value=""
              onChange={(e) => {
                const choice = choices[Number(e.currentTarget.value)];
                if (!choice) return;
                setKind(choice.kind);
                setValue(choice.value);
              }}
            >
              <option value="">Choose a domain or server…</option>
              {choices.map((c, i) => (
                <option key={i} value={i}>
                  {c.label}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="diagnose-target">{kind === 'domain' ? 'Mail domain' : 'Host name or IP address'}</label>
          <input id="diagnose-target" data-testid="diagnose-target" value={value} onChange={(e) => setValue(e.currentTarget.value)} placeholder={kind === 'domain' ? 'contoso.com' : 'mail.contoso.com'} autoComplete="off" spellCheck={false} />
        </div>
        {kind === 'host' ? (
          <div className="field">
            <label htmlFor="diagnose-port">Port</label>
            <select id="diagnose-port" value={port} onChange={(e) => setPort(Number(e.currentTarget.value) as (typeof PORTS)[number])} data-testid="diagnose-port">
              {PORTS.map((p) => (
                <option key={p} value={p}>
                  {p}
                  {p === 25 ? ' (SMTP)' : p === 587 ? ' (submission)' : p === 465 ? ' (implicit TLS)' : ''}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div className="field check">
            <label>
              <input type="checkbox" checked={probe} onChange={(e) => setProbe(e.currentTarget.checked)} data-testid="diagnose-probe" /> Also connect to each MX host (SMTP and TLS)
            </label>
          </div>
        )}
        <div className="toolbar">
          <button type="submit" className="primary" disabled={running} data-testid="diagnose-run">
            {running ? 'Running…' : 'Diagnose'}
          </button>
          {choices.some((c) => c.target !== undefined) && (
            <button type="button" disabled={running} onClick={() => void runAll()} data-testid="diagnose-all">
              Diagnose every server and partner in the profile
            </button>
          )}
          {running && (
            <button type="button" onClick={cancel} data-testid="diagnose-cancel">
              Cancel
            </button>
          )}
        </div>
      </form>

      {progress && progress.stages.length > 0 && (
        <section className="progress" aria-label="Progress" data-testid="progress">
          <h3>Progress</h3>
          <ol aria-live="polite">
            {progress.stages.map((s) => (
              <li key={s.step} className={`progress-${s.status}`} data-status={s.status}>
                <span aria-hidden="true">{s.status === 'done' ? '✓' : s.status === 'failed' ? '✗' : '…'} </span>
                {stepLabel(s.step)}: {s.status === 'started' ? 'running' : s.status}
                {s.endedAtMs !== undefined ? ` (${formatMs(s.endedAtMs - s.startedAtMs)})` : ''}
                {s.detail ? ` — ${s.detail}` : ''}
              </li>
            ))}
          </ol>
        </section>
      )}
      {batch.length > 0 && (
        <section className="batch" aria-label="Results for the profile" data-testid="diagnose-batch">
          <h3>Servers and partners</h3>
          <ul>
            {batch.map((b, i) => (
              <li key={i} data-ok={b.ok === undefined ? 'unknown' : String(b.ok)}>
                <span className={`badge ${b.ok === undefined ? 'verdict-unknown' : b.ok ? 'verdict-pass' : 'verdict-fail'}`}>
                  <span aria-hidden="true">{b.ok === undefined ? '?' : b.ok ? '✓' : '✗'}</span> {b.ok === undefined ? 'Not checked' : b.ok ? 'TLS works' : 'TLS fails'}
                </span>{' '}
                <strong>{b.label}</strong>: {b.outcome}
              </li>
            ))}
          </ul>
        </section>
      )}
      {error && <ErrorMessage message={error} testId="diagnose-error" />}
      {note && (
        <p className="note" role="status" data-testid="diagnose-note">
          {note}{' '}
          <button type="button" className="quiet" data-testid="show-diagram" onClick={() => dispatch({ type: 'navigate', view: 'overview' })}>
            Show on the diagram
          </button>
        </p>
      )}
      {!result && !running && !error && batch.length === 0 && (
        <EmptyState title="Nothing checked yet.">
          <p>Type a domain or pick one from your profile, then choose Diagnose. Results are kept in History.</p>
        </EmptyState>
      )}
      {result && (
        <section className="diagnose-result" data-testid="diagnose-result">
          <RunReport run={result} />
        </section>
      )}
    </div>
  );
}

function batchCount(observations: readonly TlsObservation[]): string {
  return observations.length === 1 ? '1 server or partner' : `${observations.length} servers and partners`;
}

function newJobId(): string {
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `job-${random}`.slice(0, 64);
}
