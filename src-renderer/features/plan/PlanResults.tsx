import type { Plan } from '../../../src-main/contract/planner';
import { CopyButton } from '../../components/CopyButton';
import { EmptyState } from '../../components/Messages';
import { SeverityBadge } from '../../components/StatusBadge';

/**
 * What the plan says to do: the article's decisions, each required connector
 * with its reason (the table row) and its PowerShell, the gaps found in
 * imported connectors, and the advice for devices.
 */
export function PlanResults({ plan }: { readonly plan: Plan }) {
  const script = plan.connectors
    .filter((c) => c.createdBy === 'you')
    .map((c) => `# ${c.name}: ${c.fromToText}\n# Why: ${c.reason}\n${c.powershell}`)
    .join('\n\n');
  return (
    <section className="plan-results" aria-labelledby="plan-results-title" data-testid="plan-results">
      <h2 id="plan-results-title">Connectors for {plan.profileName}</h2>
      {plan.decisions.length > 0 && (
        <ul className="decisions" data-testid="plan-decisions">
          {plan.decisions.map((d, i) => (
            <li key={i}>
              {d.text} <span className="muted">({d.rule})</span>
            </li>
          ))}
        </ul>
      )}
      {plan.connectors.length === 0 ? (
        <EmptyState title="No connectors needed." testId="no-connectors">
          <p>Office 365 carries all of this organisation's mail by itself.</p>
        </EmptyState>
      ) : (
        <>
          <div className="toolbar">
            <CopyButton text={script} label="Copy all PowerShell" testId="copy-all-powershell" />
            <span className="muted">To save a script that checks before it creates each connector, use “PowerShell script” under Export below.</span>
          </div>
          <ol className="connector-list" data-testid="connector-list">
            {plan.connectors.map((c) => (
              <li key={c.id} className="connector-card" data-testid={`connector-${c.id}`}>
                <h3>
                  {c.name} {c.optional && <span className="tag">optional</span>}
                  {c.createdBy === 'hybrid-wizard' && <span className="tag">made by the Hybrid Configuration Wizard</span>}
                  {c.existing && <span className="tag tag-ok">exists as “{c.existing}”</span>}
                </h3>
                <p className="from-to">{c.fromToText}</p>
                <p>
                  <strong>Why:</strong> {c.reason}
                </p>
                <p className="muted">Rule: {c.rule}</p>
                <details>
                  <summary>PowerShell ({c.cmdlet})</summary>
                  <pre className="code">{c.powershell}</pre>
                  <CopyButton text={c.powershell} label="Copy" />
                </details>
              </li>
            ))}
          </ol>
        </>
      )}
      {plan.gaps.length > 0 && (
        <>
          {/* Without an import the gaps are the plan's own warnings, not gaps in anything that exists. */}
          <h3>{plan.existingImported ? 'Gaps: the plan compared with your existing connectors' : 'Points to check in the planned connectors'}</h3>
          <ul className="gaps" data-testid="plan-gaps">
            {plan.gaps.map((g, i) => (
              <li key={i} data-code={g.code}>
                <SeverityBadge severity={g.severity} /> <strong>{plan.connectors.find((c) => c.id === g.subject)?.name ?? g.subject}</strong>: {g.message} <br />
                <span className="muted">Fix: {g.fix}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {plan.deviceRecommendations.length > 0 && (
        <>
          <h3>Devices and applications</h3>
          <ul className="devices" data-testid="device-recommendations">
            {plan.deviceRecommendations.map((d, i) => (
              <li key={i}>
                <strong>{d.device}</strong>: {DEVICE_OPTION_WORDS[d.option]}{d.feasible ? '' : ' (not possible with the answers given)'} — {d.reason}
                {d.requirements.length > 0 && (
                  <ul>
                    {d.requirements.map((r, j) => (
                      <li key={j}>{r}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {plan.findings.length > 0 && (
        <>
          <h3>Notes on the profile</h3>
          <ul className="plan-findings">
            {plan.findings.map((f, i) => (
              <li key={i}>
                <SeverityBadge severity={f.severity} /> {f.message} <span className="muted">{f.fix}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

const DEVICE_OPTION_WORDS: Readonly<Record<string, string>> = {
  'smtp-auth': 'SMTP AUTH client submission',
  'direct-send': 'Direct send',
  'smtp-relay': 'SMTP relay through a connector',
};
