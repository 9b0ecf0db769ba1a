import { useEffect, useMemo, useRef, useState, useEffectEvent } from 'react';
import { ALLOWED_SMTP_PORTS, type ErrorValue, type SavedObservation } from '../../../src-main/contract/api';
import { hostNameRule } from '../../../src-main/contract/rules';
import { useApi } from '../../api/ApiContext';
import { useAppState } from '../../app-context';
import { ErrorMessage, EmptyState } from '../../components/Messages';
import { runErrorText } from '../../components/error-text';
import { stepLabel, type StageProgress } from '../../state/job-progress';
import { diagnoseChoices, observationFromProbes, probesOfCheck, requiredTlsSetting, targetForInput } from '../../state/observations';
import { actorName, flowKey } from '../../state/actors';
import { batchSummary, batchTargets, checkOutcome, deviceOutcome, reverseName, type BatchTarget } from '../../state/diagnose-batch';
import { parseDiagnoseInput } from '../../state/diagnose-input';
import { formatMs, RunReport, type Run } from './ReportViews';

type Port = (typeof ALLOWED_SMTP_PORTS)[number];
const PORT_WORDS: Readonly<Partial<Record<Port, string>>> = { 25: ' (SMTP)', 587: ' (submission)', 465: ' (implicit TLS)' };

/** How one diagnosis ended: its report, or the reason in words. */
type Outcome = { readonly jobId: string; readonly run: Run; readonly at: string } | { readonly jobId: string; readonly run?: undefined; readonly error: string; readonly cancelled: boolean };

/** One row of "Diagnose every server and partner": its outcome in words and the full result to open. */
interface BatchRow {
  readonly label: string;
  readonly words: string;
  readonly ok: boolean | undefined;
  readonly run: Run | undefined;
}

/**
 * Diagnose a domain (DNS, MX, and SMTP/TLS of each MX host) or one host:
 * live progress per stage (following the running one), cancel (what finished
 * stays on screen, marked partial), then the results. When the target is one
 * of the profile's servers or partners, the TLS result goes to the plan and is
 * remembered with the profile, so the diagram shows "TLS failing" on its
 * arrows, also after a restart.
 */
export function DiagnoseView() {
  const api = useApi();
  const { state, dispatch, getState, rememberObservations } = useAppState();
  const targets = useMemo(() => batchTargets(state.profile), [state.profile]);
  const choices = useMemo(() => diagnoseChoices(state.profile), [state.profile]);
  // "Probe <host> now" on the Message screen opens this screen with its target.
  const [kind, setKind] = useState<'domain' | 'host'>(state.diagnoseRequest?.kind ?? 'domain');
  const [value, setValue] = useState(state.diagnoseRequest?.target ?? '');
  const [port, setPort] = useState<Port>(25);
  const [tlsDomain, setTlsDomain] = useState('');
  const [probe, setProbe] = useState(true);
  const [running, setRunning] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  const [result, setResult] = useState<Run | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [note, setNote] = useState<string | undefined>();
  /** The flow the note is about, selected and centred by "Show on the diagram". */
  const [noteFlow, setNoteFlow] = useState<string | undefined>();
  const [batch, setBatch] = useState<readonly BatchRow[]>([]);
  const jobRef = useRef<string | undefined>(undefined);
  const cancelledRef = useRef(false);
  const resultRef = useRef<HTMLElement>(null);
  const tlsDomainError = tlsDomain.trim() ? hostNameRule(tlsDomain) : undefined;

  /** One diagnosis as a new job, its progress shown live: a domain check or a server probe. */
  const diagnose = async (what: 'domain' | 'host', target: string, options: { readonly probe: boolean; readonly port: Port; readonly tlsDomain?: string }): Promise<Outcome> => {
    const jobId = newJobId();
    const at = new Date().toISOString();
    jobRef.current = jobId;
    dispatch({ type: 'job-started', jobId });
    const failed = (e: ErrorValue): Outcome => ({ jobId, error: e.code === 'CANCELLED' ? 'Cancelled.' : runErrorText(e), cancelled: e.code === 'CANCELLED' });
    if (what === 'domain') {
      const reply = await api.request('check:run', { jobId, domain: target, probe: options.probe });
      return reply.ok ? { jobId, run: { kind: 'check', report: reply.value }, at } : failed(reply.error);
    }
    const reply = await api.request('probe:run', { jobId, host: target, port: options.port, ...(options.tlsDomain ? { tlsDomain: options.tlsDomain } : {}) });
    return reply.ok ? { jobId, run: { kind: 'probe', report: reply.value }, at } : failed(reply.error);
  };

  /**
   * What a run says about TLS towards one of the profile's servers or partners,
   * stamped with when it ran. Judged against the profile and plan of NOW (the
   * run may have taken a minute), never those of the render that started it.
   */
  const observe = (target: string, run: Run, at: string): SavedObservation | undefined => {
    const { plan } = getState();
    const observation = observationFromProbes(target, run.kind === 'check' ? probesOfCheck(run.report) : [run.report], requiredTlsSetting(plan, target));
    return observation ? { ...observation, at } : undefined;
  };

  const start = (): void => {
    cancelledRef.current = false;
    setCancelled(false);
    setRunning(true);
    setError(undefined);
    setNote(undefined);
    setNoteFlow(undefined);
    setResult(undefined);
    setBatch([]);
  };

  const run = async (): Promise<void> => {
    if (!value.trim()) {
      setError(kind === 'domain' ? 'Type a mail domain, e.g. contoso.com.' : 'Type a host name or IP address, e.g. mail.contoso.com.');
      return;
    }
    if (kind === 'host' && tlsDomainError) return;
    const parsed = parseDiagnoseInput(kind, value, ALLOWED_SMTP_PORTS);
    if ('error' in parsed) {
      setError(parsed.error);
      return;
    }
    const input = parsed.target;
    const portToProbe = ALLOWED_SMTP_PORTS.find((p) => p === (parsed.port ?? port)) ?? 25;
    if (parsed.port !== undefined) setPort(portToProbe);
    start();
    const outcome = await diagnose(kind, input, { probe, port: portToProbe, ...(kind === 'host' && tlsDomain.trim() ? { tlsDomain: tlsDomain.trim() } : {}) });
    setRunning(false);
    if (jobRef.current !== outcome.jobId) return;
    if (!outcome.run) {
      if (outcome.cancelled) setCancelled(true);
      else setError(outcome.error);
      return;
    }
    setResult(outcome.run);
    const { profile } = getState();
    const target = targetForInput(profile, input);
    const observation = target ? observe(target, outcome.run, outcome.at) : undefined;
    if (target && observation) {
      await rememberObservations([observation]);
      const who = actorName(target === 'own-server' ? 'john' : target, profile);
      setNoteFlow(flowKey('bob', target === 'own-server' ? 'john' : target));
      setNote(observation.ok ? `TLS works for ${who}; the diagram is updated.` : `TLS fails for ${who}: ${observation.message} The diagram shows it on the arrows.`);
    }
  };

  // ...and runs it at once, the one time it was asked for (an effect event: it reads the latest run()).
  const requested = useRef(state.diagnoseRequest);
  const runRequested = useEffectEvent(() => {
    if (!requested.current) return;
    requested.current = undefined;
    dispatch({ type: 'diagnose-requested', request: undefined });
    void run();
  });
  useEffect(() => runRequested(), []);

  /** One row of the batch: a domain check, a server probe, or a device's reverse DNS name. */
  const runOne = async (t: BatchTarget, found: SavedObservation[]): Promise<BatchRow> => {
    if (t.kind === 'device') {
      const name = reverseName(t.value);
      if (!name) return { label: t.label, words: `${t.value} is not an IPv4 address.`, ok: false, run: undefined };
      const reply = await api.request('dns:query', { name, type: 'PTR' });
      return reply.ok ? { label: t.label, ...deviceOutcome(t.value, reply.value), run: undefined } : { label: t.label, words: runErrorText(reply.error), ok: undefined, run: undefined };
    }
    const outcome = await diagnose(t.kind, t.value, { probe: true, port: 25 });
    if (!outcome.run) return { label: t.label, words: outcome.error, ok: undefined, run: undefined };
    const observation = t.target ? observe(t.target, outcome.run, outcome.at) : undefined;
    if (observation) found.push(observation);
    if (outcome.run.kind === 'check') return { label: t.label, ...checkOutcome(outcome.run.report, observation), run: outcome.run };
    return { label: t.label, words: observation?.message ?? 'The server was not reached, so TLS was not checked.', ok: observation?.ok, run: outcome.run };
  };

  /** One click: every domain, server, partner and device of the profile, one after another, then one plan with all TLS results. */
  const runAll = async (): Promise<void> => {
    start();
    const found: SavedObservation[] = [];
    for (const t of targets) {
      if (cancelledRef.current) break;
      const row = await runOne(t, found);
      setBatch((rows) => [...rows, row]);
    }
    setRunning(false);
    if (cancelledRef.current) setCancelled(true);
    if (found.length === 0) return;
    // Per target, a failure on any of its hosts wins over a success on another.
    const merged = new Map<string, SavedObservation>();
    for (const o of found) if (!merged.has(o.target) || !o.ok) merged.set(o.target, o);
    await rememberObservations([...merged.values()]);
    setNote(`The diagram shows the TLS results of ${merged.size === 1 ? '1 server or partner' : `${merged.size} servers and partners`}.`);
  };

  const cancel = (): void => {
    cancelledRef.current = true;
    const jobId = jobRef.current;
    if (!jobId) return;
    dispatch({ type: 'job-cancelled', jobId, atMs: Date.now() });
    void api.request('job:cancel', { jobId });
  };

  const openRow = (row: BatchRow): void => {
    if (!row.run) return;
    setResult(row.run);
    // After the result renders: bring it into view.
    requestAnimationFrame(() => resultRef.current?.scrollIntoView?.({ block: 'start' }));
  };

  return (
    <div className="diagnose" data-testid="diagnose">
      <h2>Diagnose a domain or a mail server</h2>
      <form
        className="diagnose-form"
        noValidate
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
          <>
            <div className="field">
              <label htmlFor="diagnose-port">Port</label>
              <select id="diagnose-port" value={port} onChange={(e) => setPort(ALLOWED_SMTP_PORTS.find((p) => p === Number(e.currentTarget.value)) ?? 25)} data-testid="diagnose-port">
                {ALLOWED_SMTP_PORTS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                    {PORT_WORDS[p] ?? ''}
                  </option>
                ))}
              </select>
            </div>
            <div className={`field${tlsDomainError ? ' invalid' : ''}`}>
              <label htmlFor="diagnose-tls-domain">Name the certificate must carry (TlsDomain, optional)</label>
              <input
                id="diagnose-tls-domain"
                data-testid="diagnose-tls-domain"
                value={tlsDomain}
                onChange={(e) => setTlsDomain(e.currentTarget.value)}
                placeholder="mail.contoso.com"
                autoComplete="off"
                spellCheck={false}
                aria-invalid={tlsDomainError ? true : undefined}
                aria-describedby={`diagnose-tls-domain-hint${tlsDomainError ? ' diagnose-tls-domain-error' : ''}`}
              />
              <span id="diagnose-tls-domain-hint" className="field-hint">
                As an outbound connector’s TlsDomain (DomainValidation): the certificate is judged against this name instead of the host name. Same as the command line’s --tls-domain.
              </span>
              {tlsDomainError && (
                <span id="diagnose-tls-domain-error" className="field-error" role="alert">
                  <span aria-hidden="true">✗ </span>
                  {tlsDomainError}
                </span>
              )}
            </div>
          </>
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
          {targets.length > 0 && (
            <button type="button" disabled={running} onClick={() => void runAll()} data-testid="diagnose-all">
              Diagnose every domain, server, partner and device in the profile
            </button>
          )}
          {running && (
            <button type="button" onClick={cancel} data-testid="diagnose-cancel">
              Cancel
            </button>
          )}
        </div>
      </form>

      {state.progress && state.progress.stages.length > 0 && <ProgressList key={state.progress.jobId} stages={state.progress.stages} running={running} cancelled={cancelled} />}
      {cancelled && (
        <p className="note" role="status" data-testid="diagnose-cancelled">
          Cancelled. What finished before is kept{state.progress && state.progress.stages.some((s) => s.status === 'done' || s.status === 'failed') ? ' in the progress list above' : ''}
          {batch.length > 0 ? ' and in the rows below' : ''}; these results are partial.
        </p>
      )}
      {batch.length > 0 && (
        <section className="batch" aria-labelledby="batch-title" data-testid="diagnose-batch">
          <h3 id="batch-title">Your domains, servers, partners and devices</h3>
          <p data-testid="batch-summary">
            {batchSummary(batch)}
            {cancelled ? ' Cancelled before the end: partial.' : ''}
          </p>
          <ul>
            {batch.map((b, i) => (
              <li key={i} data-ok={b.ok === undefined ? 'unknown' : String(b.ok)} data-testid="batch-row">
                <span className={`badge ${b.ok === undefined ? 'verdict-unknown' : b.ok ? 'verdict-pass' : 'verdict-fail'}`}>
                  <span aria-hidden="true">{b.ok === undefined ? '?' : b.ok ? '✓' : '✗'}</span> {b.ok === undefined ? 'Not checked' : b.ok ? 'Fine' : 'Failing'}
                </span>{' '}
                <strong>{b.label}</strong>: {b.words}{' '}
                {b.run && (
                  <button type="button" className="link-button" onClick={() => openRow(b)} data-testid="batch-open">
                    Show the full result<span className="visually-hidden"> for {b.label}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {error && <ErrorMessage message={error} testId="diagnose-error" />}
      {note && (
        <p className="note" role="status" data-testid="diagnose-note">
          {note}{' '}
          <button type="button" className="quiet" data-testid="show-diagram" onClick={() => {
              if (noteFlow) dispatch({ type: 'flow-selected', key: noteFlow, centre: true });
              dispatch({ type: 'navigate', view: 'overview' });
            }}>
            Show on the diagram
          </button>
        </p>
      )}
      {!result && !running && !error && !cancelled && batch.length === 0 && (
        <EmptyState title="Nothing checked yet.">
          <p>Type a domain or pick one from your profile, then choose Diagnose. Results are kept in History.</p>
        </EmptyState>
      )}
      {result && (
        <section className="diagnose-result" data-testid="diagnose-result" ref={resultRef} tabIndex={-1}>
          <RunReport run={result} />
        </section>
      )}
    </div>
  );
}

/**
 * The stages as they happen, following the running one: the list scrolls to
 * its end as stages arrive, the running stage shows its time so far, and a
 * stage stopped by Cancel says "cancelled".
 */
function ProgressList({ stages, running, cancelled }: { readonly stages: readonly StageProgress[]; readonly running: boolean; readonly cancelled: boolean }) {
  const listRef = useRef<HTMLOListElement>(null);
  const [started] = useState(() => Date.now());
  const [now, setNow] = useState(started);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [running]);
  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [stages.length]);
  const elapsedOf = (s: StageProgress): string => (s.endedAtMs !== undefined ? formatMs(s.endedAtMs - s.startedAtMs) : `${formatMs(Math.max(0, now - started - s.startedAtMs))} so far`);
  return (
    <section className="progress" aria-labelledby="progress-title" data-testid="progress">
      <h3 id="progress-title">Progress{cancelled ? ' (cancelled: partial)' : ''}</h3>
      <ol ref={listRef} className="progress-list" tabIndex={0} aria-label="Stages">
        {stages.map((s) => (
          <li key={s.step} className={`progress-${s.status}`} data-status={s.status}>
            <span aria-hidden="true">{STATUS_ICONS[s.status]} </span>
            {stepLabel(s.step)}: {STATUS_WORDS[s.status]} ({elapsedOf(s)}){s.detail ? ` — ${s.detail}` : ''}
          </li>
        ))}
      </ol>
      <p className="visually-hidden" aria-live="polite">
        {stages.filter((s) => s.status !== 'started').length} of {stages.length} stages finished.
      </p>
    </section>
  );
}

const STATUS_WORDS: Readonly<Record<StageProgress['status'], string>> = { started: 'running', done: 'done', failed: 'failed', cancelled: 'cancelled' };
const STATUS_ICONS: Readonly<Record<StageProgress['status'], string>> = { started: '…', done: '✓', failed: '✗', cancelled: '■' };

function newJobId(): string {
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `job-${random}`.slice(0, 64);
}
