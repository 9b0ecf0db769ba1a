import { StatusBadge } from '../../components/StatusBadge';
import { FLOW_STATUS_ORDER, legendNote } from '../../state/flow-status';

/** The key to the diagram's colours, icons and words, worded as the diagram is (before or after an import). */
export function Legend({ imported }: { readonly imported: boolean }) {
  return (
    <ul className="legend" aria-label="What the colours and icons mean" data-testid="flow-legend">
      {FLOW_STATUS_ORDER.map((s) => {
        const note = legendNote(s, { imported });
        return (
          <li key={s}>
            <StatusBadge status={s} imported={imported} />
            {note && <span className="legend-note muted"> ({note})</span>}
          </li>
        );
      })}
    </ul>
  );
}
