import type { SavedObservation } from '../../../src-main/contract/api';
import type { Profile } from '../../../src-main/contract/planner';
import { formatAge, formatDateTime } from '../../../src-main/contract/time';
import { StatusBadge } from '../../components/StatusBadge';
import { actorName } from '../../state/actors';
import type { GraphEdge } from '../../state/flow-graph';
import { statusLook } from '../../state/flow-status';
import { useNow } from '../../components/use-now';

/** One flow explained: the path, the connector(s), the evidence and the fix. */
export function FlowDetails({
  edge,
  imported,
  profile,
  observations = [],
  onClose,
}: {
  readonly edge: GraphEdge | undefined;
  readonly imported: boolean;
  readonly profile: Profile | undefined;
  /** The TLS results remembered with the profile: those about this flow's ends are shown with their age. */
  readonly observations?: readonly SavedObservation[];
  readonly onClose: () => void;
}) {
  if (!edge) {
    return (
      <section className="flow-details empty" aria-label="Flow details" data-testid="flow-details">
        <p className="muted">Select an arrow on the diagram, or a row in the list, to see its path, connector, evidence and fix.</p>
      </section>
    );
  }
  return <FlowExplained edge={edge} imported={imported} profile={profile} observations={observations} onClose={onClose} />;
}

/** The details of one selected flow (a component of its own, so its clock runs only while a flow is shown). */
function FlowExplained({ edge, imported, profile, observations, onClose }: { readonly edge: GraphEdge; readonly imported: boolean; readonly profile: Profile | undefined; readonly observations: readonly SavedObservation[]; readonly onClose: () => void }) {
  const nowMs = useNow(60_000);
  const { flow } = edge;
  const ends = new Set([flow.from, flow.to].map((actor) => (actor === 'john' ? 'own-server' : actor)));
  const checks = observations.filter((o) => ends.has(o.target));
  return (
    <section className="flow-details" aria-labelledby="flow-details-title" data-testid="flow-details" data-status={edge.status}>
      <header className="flow-details-header">
        <h3 id="flow-details-title">
          {actorName(flow.from, profile)} → {actorName(flow.to, profile)}
        </h3>
        <button type="button" className="quiet" onClick={onClose} aria-label="Close flow details">
          Close
        </button>
      </header>
      <p>
        <StatusBadge status={edge.status} imported={imported} /> <span className="muted">{statusLook(edge.status, { imported }).description}</span>
      </p>
      <h4>Path</h4>
      <ol className="path" data-testid="flow-path">
        {flow.path.map((hop, i) => (
          <li key={i}>{hop}</li>
        ))}
      </ol>
      <p>{flow.explanation}</p>
      <h4>Connector</h4>
      {edge.connectors.length === 0 ? (
        <p>No connector: {flow.connectors.length > 0 ? flow.connectors.join(', ') : 'this flow needs none.'}</p>
      ) : (
        <ul className="connector-refs">
          {edge.connectors.map((c) => (
            <li key={c.id}>
              <strong>{c.name}</strong> ({c.cmdlet}) — {c.fromToText}
              <br />
              <span className="muted">Why: {c.reason}</span>
            </li>
          ))}
        </ul>
      )}
      {checks.length > 0 && (
        <>
          <h4>TLS checked</h4>
          <ul className="tls-checks" data-testid="flow-tls-checks">
            {checks.map((o) => (
              <li key={o.target}>
                <span aria-hidden="true">{o.ok ? '✓ ' : '✗ '}</span>
                {o.ok ? 'TLS works' : 'TLS fails'}, checked <time dateTime={o.at} title={formatDateTime(o.at)}>{formatAge(o.at, nowMs)}</time>: {o.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {flow.evidence.length > 0 && (
        <>
          <h4>Evidence</h4>
          <ul className="evidence" data-testid="flow-evidence">
            {flow.evidence.map((e, i) => (
              <li key={i}>
                <code>{e}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      {flow.fix && (
        <>
          <h4>Fix</h4>
          <p data-testid="flow-fix">{flow.fix}</p>
        </>
      )}
    </section>
  );
}
