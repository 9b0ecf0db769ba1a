import type { Profile } from '../../../src-main/contract/planner';
import { StatusBadge } from '../../components/StatusBadge';
import { actorName } from '../../state/actors';
import type { GraphEdge } from '../../state/flow-graph';

/**
 * Every flow as a row with a button: the keyboard's way into the diagram, and
 * the place where every flow (also those not drawn) and its full connector
 * names are listed. Two columns, so it fits beside the diagram.
 */
export function FlowList({
  edges,
  imported,
  profile,
  selected,
  onSelect,
}: {
  readonly edges: readonly GraphEdge[];
  readonly imported: boolean;
  readonly profile: Profile | undefined;
  readonly selected: string | undefined;
  readonly onSelect: (key: string) => void;
}) {
  if (edges.length === 0) return <p className="muted">No flows yet: build the plan to see them.</p>;
  return (
    <table className="flow-list" data-testid="flow-list" id="flow-list" tabIndex={-1}>
      <caption>Mail flows</caption>
      <thead>
        <tr>
          <th scope="col">From → To, connector</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {edges.map((e) => (
          <tr key={e.id} className={e.id === selected ? 'selected' : undefined} data-testid={`flow-row-${e.id.replace(/^flow-edge-/, '')}`} data-status={e.status}>
            <td>
              <button type="button" className="link-button" aria-pressed={e.id === selected} onClick={() => onSelect(e.id)}>
                {actorName(e.from, profile)} → {actorName(e.to, profile)}
              </button>
              <div className="flow-list-connector">{e.label}</div>
            </td>
            <td>
              <StatusBadge status={e.status} imported={imported} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
