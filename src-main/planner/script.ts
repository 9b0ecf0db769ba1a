import type { Plan } from '../contract/planner';
import { powerShellFileText, psComment, psQuote } from './powershell';

/**
 * The whole plan as a .ps1 for Exchange Online PowerShell. Each connector is
 * commented with its From/To, reason and rule, and created only when no
 * connector of that name exists, so the script is safe to run twice. The
 * text starts with a UTF-8 BOM (see powerShellFileText), wherever it is saved.
 */
export function renderPlanPowerShell(plan: Plan): string {
  const lines: string[] = [
    `# Mailflow Doctor: connectors for ${psComment(plan.profileName)} (plan schema ${plan.schemaVersion})`,
    '# Run in Exchange Online PowerShell after Connect-ExchangeOnline.',
    '# Safe to run twice: each connector is created only when no connector with its name exists;',
    '# existing connectors are never changed. Review the plan (Markdown report) before running.',
    '#Requires -Version 5.1',
    "$ErrorActionPreference = 'Stop'",
    '',
  ];
  const mine = plan.connectors.filter((c) => c.createdBy === 'you');
  if (plan.connectors.length === 0) lines.push('# No connectors are needed for this organisation.');
  plan.connectors.forEach((c, i) => {
    lines.push(
      `# ${'-'.repeat(70)}`,
      `# Connector ${i + 1} of ${plan.connectors.length}: ${psComment(c.name)}${c.optional ? ' (optional)' : ''}`,
      `# ${psComment(c.fromToText)}`,
      `# Why: ${psComment(c.reason)}`,
      `# Rule: ${psComment(c.rule)}`,
    );
    for (const g of plan.gaps.filter((x) => x.subject === c.id)) lines.push(`# ${g.severity.toUpperCase()}: ${psComment(g.message)}`);
    lines.push(c.powershell, '');
  });
  for (const change of plan.acceptedDomainChanges) {
    lines.push(`# ${'-'.repeat(70)}`, `# Accepted domain ${psComment(change.domain)}: ${change.domainType}`, `# Why: ${psComment(change.reason)}`);
    // Written again from the typed value, never taken from the plan's text.
    lines.push(change.current === 'InternalRelay' ? `# ${psComment(change.domain)} is already InternalRelay; nothing to change.` : `Set-AcceptedDomain -Identity ${psQuote(change.domain)} -DomainType InternalRelay`, '');
  }
  if (mine.length === 0 && plan.connectors.length > 0 && plan.acceptedDomainChanges.length === 0) lines.push('# Nothing for this script to create.');
  return powerShellFileText(`${lines.join('\n')}\n`);
}
