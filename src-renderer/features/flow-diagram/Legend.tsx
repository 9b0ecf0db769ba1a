import { StatusBadge } from '../../components/StatusBadge';
import { FLOW_STATUS_ORDER } from '../../state/flow-status';

export function Legend() {
  return (
    <ul className="legend" aria-label="What the colours and icons mean">
      {FLOW_STATUS_ORDER.map((s) => (
        <li key={s}>
          <StatusBadge status={s} />
        </li>
      ))}
    </ul>
  );
}
