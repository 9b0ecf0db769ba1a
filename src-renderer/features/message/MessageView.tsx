import { useCallback, useEffect, useMemo, useRef, useState, useEffectEvent } from 'react';
import { formatSeconds } from '../../../src-main/contract/message';
import type { Hop, MessageAnalysis, MessageSeverity } from '../../../src-main/contract/message';
import { useApi } from '../../api/ApiContext';
import { useAppState } from '../../app-context';
import { EmptyState, ErrorMessage } from '../../components/Messages';
import { errorText } from '../../components/error-text';
import { actorName, flowKey } from '../../state/actors';
import type { DroppedMessage } from '../../state/app-state';
import { buildFlowGraph } from '../../state/flow-graph';
import { FlowDiagram } from '../flow-diagram/FlowDiagram';
import { readMessageFile, useFileDrop } from './message-file';
import './message.css';

/**
 * Message trace (issue 13): paste headers or an NDR, or drop an .eml / .msg;
 * see the hops with delays and TLS, authentication in words, how Exchange
 * Online took the message in, the NDR explained with "Probe <host> now",
 * and the message's path on the organisation's diagram. Everything from the
 * message is rendered as text (React text nodes), never as HTML.
 */
type Input = { readonly text: string } | DroppedMessage;

export function MessageView() {
  const api = useApi();
  const { state, dispatch } = useAppState();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const fileInput = useRef<HTMLInputElement>(null);
  const analysis = state.messageAnalysis;

  const analyse = useCallback(
    async (input: Input): Promise<void> => {
      setBusy(true);
      setError(undefined);
      const message = 'text' in input ? { text: input.text } : { base64: input.base64, fileName: input.fileName };
      const reply = await api.request('message:analyze', { message, profile: state.profile });
      setBusy(false);
      if (reply.ok) {
        dispatch({ type: 'message-analysed', analysis: reply.value });
        // The message's flow is the one picked on the main diagram too, so going back there shows its path.
        const flow = reply.value.path?.flow;
        if (flow) dispatch({ type: 'flow-selected', key: flowKey(flow.from, flow.to) });
      }
      else {
        setError(errorText(reply.error, {}));
        dispatch({ type: 'message-analysed', analysis: undefined });
      }
    },
    [api, dispatch, state.profile],
  );

  // A file dropped on the diagram comes here to be analysed.
  const dropped = state.droppedMessage;
  const analyseDropped = useEffectEvent((file: NonNullable<typeof dropped>) => void analyse(file));
  useEffect(() => {
    // Sending the dropped file to main is what this effect synchronises with; "busy" is shown while main answers.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (dropped) analyseDropped(dropped);
  }, [dropped]);

  const takeFile = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    const read = await readMessageFile(file);
    if ('error' in read) setError(read.error);
    else await analyse(read);
  };
  const drop = useFileDrop((file) => void takeFile(file));

  return (
    <div className="message-view" data-testid="message-view">
      <h2>Trace a message</h2>
      <p className="muted">
        Paste a message’s headers (Outlook: File › Properties › Internet headers) or the text of a non-delivery report, or drop an .eml or .msg file. The
        analysis runs on this computer; nothing is sent anywhere.
      </p>
      <form
        className={`message-input${drop.over ? ' dragging' : ''}`}
        data-testid="message-drop"
        {...drop.handlers}
        onSubmit={(e) => {
          e.preventDefault();
          if (!text.trim()) setError('Paste message headers or an NDR first, or choose a file.');
          else void analyse({ text });
        }}
      >
        <label htmlFor="message-text">Headers, message or NDR text</label>
        <textarea id="message-text" data-testid="message-text" rows={8} value={text} onChange={(e) => setText(e.currentTarget.value)} spellCheck={false} placeholder="Received: from …" />
        <div className="toolbar">
          <button type="submit" className="primary" disabled={busy} data-testid="message-analyze">
            {busy ? 'Analysing…' : 'Analyse'}
          </button>
          <button type="button" disabled={busy} onClick={() => fileInput.current?.click()} data-testid="message-choose">
            Open an .eml or .msg file…
          </button>
          <input ref={fileInput} type="file" accept=".eml,.msg,.txt,message/rfc822" hidden data-testid="message-file" onChange={(e) => void takeFile(e.currentTarget.files?.[0])} />
          <span className="muted">or drop a file here, or on the diagram</span>
        </div>
      </form>
      {error && <ErrorMessage message={error} testId="message-error" />}
      {!analysis && !error && !busy && (
        <EmptyState title="No message yet." testId="message-empty">
          <p>The hops, their delays and TLS, the authentication results and the connector Exchange Online used will show here.</p>
        </EmptyState>
      )}
      {analysis && <AnalysisView analysis={analysis} />}
    </div>
  );
}

const SEVERITY_ICON: Readonly<Record<MessageSeverity, string>> = { ok: '✓', info: 'i', warn: '!', fail: '✗' };

function Severity({ severity, children }: { readonly severity: MessageSeverity; readonly children: string }) {
  return (
    <span className={`badge severity-${severity}`}>
      <span aria-hidden="true">{SEVERITY_ICON[severity]}</span> {children}
    </span>
  );
}

function AnalysisView({ analysis }: { readonly analysis: MessageAnalysis }) {
  const a = analysis;
  return (
    <div className="message-result" data-testid="message-result">
      <section className="message-summary" data-testid="message-summary">
        <h3>{a.ndr ? 'Non-delivery report' : 'Message'}: {a.subject ?? '(no subject)'}</h3>
        <p className="muted">
          {[a.from ? `From ${a.from}` : undefined, a.to.length > 0 ? `to ${a.to.slice(0, 5).join(', ')}` : undefined, a.date, `${a.source.fileName ?? 'pasted text'} (${a.source.kind})`].filter(Boolean).join(' · ')}
        </p>
      </section>
      {a.ndr && <NdrView ndr={a.ndr} />}
      {a.path && <PathView analysis={a} />}
      <FlagsView analysis={a} />
      <HopsView analysis={a} />
      <section data-testid="message-auth" aria-labelledby="message-auth-title">
        <h3 id="message-auth-title">Authentication</h3>
        <ul>
          {a.authentication.summary.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      </section>
      <section data-testid="message-exchange" aria-labelledby="message-exchange-title">
        <h3 id="message-exchange-title">Exchange Online</h3>
        <p data-testid="message-attribution" data-kind={a.exchange.attribution.kind}>
          {a.exchange.attribution.text}
        </p>
        {a.exchange.present && <p>Treated as: {a.exchange.treatedAs}</p>}
        <ul>
          {a.exchange.verdict.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
        {a.exchange.explained.length > 0 && (
          <details>
            <summary>All Exchange Online fields</summary>
            <dl className="message-fields">
              {a.exchange.explained.map((f, i) => (
                <div key={i}>
                  <dt>
                    {f.field}: {f.value}
                  </dt>
                  <dd>{f.text}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
      </section>
      {a.exchangeServers.length > 0 && (
        <section data-testid="message-servers" aria-labelledby="message-servers-title">
          <h3 id="message-servers-title">Exchange servers in the path</h3>
          <ul>
            {a.exchangeServers.map((s, i) => (
              <li key={i} data-status={s.status}>
                <Severity severity={s.status === 'out-of-support' ? 'fail' : s.status === 'out-of-date' ? 'warn' : s.status === 'unknown' ? 'info' : 'ok'}>{s.product}</Severity> {s.host}: {s.text}
              </li>
            ))}
          </ul>
        </section>
      )}
      {a.notes.length > 0 && (
        <section data-testid="message-notes" aria-labelledby="message-notes-title">
          <h3 id="message-notes-title">Notes about the input</h3>
          <ul>
            {a.notes.map((n, i) => (
              <li key={i}>
                <Severity severity={n.severity}>{n.severity === 'warn' ? 'Note' : 'Info'}</Severity> {n.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function NdrView({ ndr }: { readonly ndr: NonNullable<MessageAnalysis['ndr']> }) {
  const { dispatch } = useAppState();
  const e = ndr.explanation;
  return (
    <section className="message-ndr" data-testid="message-ndr" aria-labelledby="message-ndr-title">
      <h3 id="message-ndr-title">Why it was not delivered</h3>
      {e ? (
        <>
          <p className="message-ndr-code">
            <Severity severity={e.code.startsWith('4') ? 'warn' : 'fail'}>{e.code}</Severity> <strong>{e.title}</strong>
          </p>
          <dl className="message-fields">
            <dt>What it means</dt>
            <dd>{e.meaning}</dd>
            <dt>Connector or setting involved</dt>
            <dd>{e.involves}</dd>
            <dt>Fix</dt>
            <dd>{e.fix}</dd>
          </dl>
        </>
      ) : (
        <p>No status code was found in the report.</p>
      )}
      <dl className="message-fields">
        {ndr.generatingServer && (
          <>
            <dt>Generating server</dt>
            <dd>{ndr.generatingServer}</dd>
          </>
        )}
        {ndr.remoteServer && (
          <>
            <dt>Remote server</dt>
            <dd>{ndr.remoteServer}</dd>
          </>
        )}
        {ndr.reply && (
          <>
            <dt>Reply</dt>
            <dd>
              <code>{ndr.reply}</code>
            </dd>
          </>
        )}
        {ndr.recipients.length > 0 && (
          <>
            <dt>Recipients</dt>
            <dd>{ndr.recipients.map((r) => r.address).join(', ')}</dd>
          </>
        )}
      </dl>
      {ndr.probe && (
        <p>
          <button type="button" className="primary" data-testid="message-probe" onClick={() => dispatch({ type: 'diagnose-requested', request: { kind: ndr.probe!.kind, target: ndr.probe!.target } })}>
            {ndr.probe.kind === 'host' ? `Probe ${ndr.probe.target} now` : `Check ${ndr.probe.target} now`}
          </button>{' '}
          <span className="muted">{ndr.probe.why}</span>
        </p>
      )}
      {e && <p className="muted">Source: {e.source}</p>}
    </section>
  );
}

function PathView({ analysis }: { readonly analysis: MessageAnalysis }) {
  const { state, dispatch } = useAppState();
  const path = analysis.path!;
  const key = path.flow ? flowKey(path.flow.from, path.flow.to) : undefined;
  const graph = useMemo(() => buildFlowGraph(state.profile, state.plan), [state.profile, state.plan]);
  const edges = useMemo(() => graph.edges.filter((e) => e.id === key), [graph.edges, key]);
  const select = useCallback(() => undefined, []);
  return (
    <section className="message-path" data-testid="message-path" data-from={path.from} data-to={path.to} aria-labelledby="message-path-title">
      <h3 id="message-path-title">
        On the diagram: {actorName(path.from, state.profile)} to {actorName(path.to, state.profile)}
      </h3>
      <ol className="message-steps">
        {path.steps.map((s, i) => (
          <li key={i} data-actor={s.actor}>
            {s.label}
            {s.hops.length > 0 && <span className="muted"> (hop{s.hops.length > 1 ? `s ${s.hops[0]}–${s.hops.at(-1)}` : ` ${s.hops[0]}`})</span>}
          </li>
        ))}
      </ol>
      <dl className="message-fields">
        {path.connectorUsed && (
          <>
            <dt>Connector used</dt>
            <dd data-testid="message-connector-used">{path.connectorUsed}</dd>
          </>
        )}
        <dt>Connector the plan expects</dt>
        <dd data-testid="message-connector-expected">{path.connectorExpected.length > 0 ? path.connectorExpected.join(' and ') : 'None'}</dd>
      </dl>
      <details>
        <summary>How the sender and recipient were recognised</summary>
        <ul>
          {path.evidence.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      </details>
      {key && edges.length > 0 && (
        <>
          <div className="message-diagram" data-testid="message-diagram">
            <FlowDiagram nodes={graph.nodes} edges={edges} imported={graph.imported} selected={key} onSelect={select} />
          </div>
          <button
            type="button"
            data-testid="message-show-diagram"
            onClick={() => {
              dispatch({ type: 'flow-selected', key });
              dispatch({ type: 'navigate', view: 'overview' });
            }}
          >
            Show this flow on the main diagram
          </button>
        </>
      )}
    </section>
  );
}

function FlagsView({ analysis }: { readonly analysis: MessageAnalysis }) {
  return (
    <section data-testid="message-flags" aria-labelledby="message-flags-title">
      <h3 id="message-flags-title">Findings</h3>
      {analysis.flags.length === 0 ? (
        <p>
          <Severity severity="ok">OK</Severity> Nothing wrong found in the headers.
        </p>
      ) : (
        <ul>
          {analysis.flags.map((f, i) => (
            <li key={i} data-code={f.code} data-severity={f.severity}>
              <Severity severity={f.severity}>{f.code}</Severity> {f.message}
              {f.fix && <div className="muted">Fix: {f.fix}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function delayCell(hop: Hop): string {
  if (hop.clockSkew) return `clock ${formatSeconds(hop.skewSeconds ?? 0)} behind`;
  return hop.delaySeconds === undefined ? '–' : `+${formatSeconds(hop.delaySeconds)}`;
}

function HopsView({ analysis }: { readonly analysis: MessageAnalysis }) {
  const a = analysis;
  return (
    <section data-testid="message-hops" aria-labelledby="message-hops-title">
      <h3 id="message-hops-title">Hops{a.totalSeconds !== undefined ? ` (${formatSeconds(a.totalSeconds)} from first to last)` : ''}</h3>
      {a.hops.length === 0 ? (
        <p>No Received: fields, so no hops.</p>
      ) : (
        <div className="table-scroll">
          <table className="message-hops">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">From</th>
                <th scope="col">By</th>
                <th scope="col">Protocol</th>
                <th scope="col">Encryption</th>
                <th scope="col">Delay</th>
                <th scope="col">Time (UTC)</th>
              </tr>
            </thead>
            {a.hopGroups.map((g) => (
              <tbody key={g.first} data-zone={g.zone}>
                <tr className="message-hop-group">
                  <th colSpan={7} scope="rowgroup">
                    {g.label}
                  </th>
                </tr>
                {a.hops
                  .filter((h) => h.index >= g.first && h.index <= g.last)
                  .map((h) => (
                    <tr key={h.index} data-testid={`message-hop-${h.index}`} data-tls={h.encryption.state} data-skew={h.clockSkew}>
                      <td>{h.index}</td>
                      <td>
                        {h.from ?? '–'}
                        {h.fromIp && <span className="muted"> [{h.fromIp}]</span>}
                      </td>
                      <td>{h.by ?? '–'}</td>
                      <td>{h.with ?? '–'}</td>
                      <td className={`tls-${h.encryption.state}`}>{h.encryption.text}</td>
                      <td className={h.clockSkew ? 'skew' : undefined}>{delayCell(h)}</td>
                      <td>{h.time ? h.time.replace('T', ' ').replace(/\.000Z$/, '') : '–'}</td>
                    </tr>
                  ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </section>
  );
}
