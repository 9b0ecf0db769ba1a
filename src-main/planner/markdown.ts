import type { Plan } from '../contract/planner';
import { markdownCodeBlock } from '../text/escape';
import { optionLabel } from './rules';

/**
 * The plan as a Markdown report for a mail admin. Text from the profile and
 * imported files is data: Markdown and HTML characters are escaped so a
 * partner name cannot turn into a link, a table break or markup.
 */
export function mdEscape(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/([\\`*_[\]|<>~])/g, '\\$1');
}

/**
 * Text as an inline code span. Inside a code span Markdown shows everything
 * literally (no HTML, no links), so only what could end the span or the line
 * is replaced: backticks, pipes (table cells) and control characters.
 */
export function mdCode(text: string): string {
  // eslint-disable-next-line no-control-regex
  return `\`${text.replace(/[`|\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/^ | $/g, '\u00a0')}\``;
}

const STATUS_TEXT: Readonly<Record<string, string>> = {
  covered: 'covered',
  'connector-missing': 'CONNECTOR MISSING',
  'no-connector-needed': 'no connector needed',
  'not-possible': 'NOT POSSIBLE',
  'tls-failing': 'TLS FAILING',
  'not-checked': 'not checked',
};

/**
 * Until connectors are imported nothing has checked which exist, so a flow
 * that needs one is "needed", not yet "missing" (the app words it the same way).
 */
function statusText(status: string, imported: boolean): string {
  if (status === 'connector-missing' && !imported) return 'CONNECTOR NEEDED';
  return STATUS_TEXT[status] ?? status;
}

const actorText = (a: string) => (a === 'john' ? 'John' : a === 'bob' ? 'Bob' : a === 'sun' ? 'Sun' : a);

export function renderPlanMarkdown(plan: Plan): string {
  const out: string[] = [];
  const mine = plan.connectors.filter((c) => c.createdBy === 'you');
  const fails = plan.gaps.filter((g) => g.severity === 'fail').length + plan.findings.filter((f) => f.severity === 'fail').length;
  const warns = plan.gaps.filter((g) => g.severity === 'warn').length + plan.findings.filter((f) => f.severity === 'warn').length;
  out.push(`# Connector plan: ${mdEscape(plan.profileName)}`, '');
  const present = mine.filter((c) => c.existing !== undefined).length;
  out.push(
    `- Connectors in the plan: **${mine.length}**${mine.some((c) => c.optional) ? ` (${mine.filter((c) => c.optional).length} optional)` : ''}` +
      (plan.existingImported ? `; already exist: ${present}; to create: ${mine.length - present}` : '') +
      (plan.connectors.length > mine.length ? `; made by the Hybrid Configuration Wizard: ${plan.connectors.length - mine.length}` : ''),
    `- Existing connectors: ${plan.existingImported ? 'imported and compared' : 'not imported (statuses say what is needed, not what exists; use --existing)'}`,
    `- Problems: ${fails} to fix (FAIL), ${warns} warnings (WARN)`,
    '',
  );

  out.push('## Decisions', '', 'Each decision cites the row of the Microsoft article "Configure mail flow using connectors in Office 365" it comes from.', '');
  for (const d of plan.decisions) out.push(`- **${mdEscape(d.rule)}**: ${mdEscape(d.text)}`);
  out.push('');

  if (plan.findings.length > 0) {
    out.push('## Notes on the profile', '');
    for (const f of plan.findings) out.push(`- **${mdEscape(f.severity.toUpperCase())}** ${mdCode(f.code)}: ${mdEscape(f.message)} ${mdEscape(f.explanation)} *Fix:* ${mdEscape(f.fix)}`);
    out.push('');
  }

  if (plan.deviceRecommendations.length > 0) {
    out.push('## Devices and applications', '');
    for (const r of plan.deviceRecommendations) {
      out.push(`### ${mdEscape(r.device)}: ${mdEscape(optionLabel(r.option))}${r.feasible ? '' : ' (requirement missing)'}`, '', mdEscape(r.reason), '', 'Requirements:', '');
      for (const q of r.requirements) out.push(`- ${mdEscape(q)}`);
      out.push('');
    }
  }

  out.push('## Connectors', '');
  if (plan.connectors.length === 0) out.push('No connectors are needed.', '');
  for (const c of plan.connectors) {
    out.push(`### ${mdEscape(c.name)} (${mdCode(c.id)})${c.optional ? ' (optional)' : ''}`, '');
    out.push(`- **${mdEscape(c.fromToText)}**`);
    out.push(`- Cmdlet: ${mdCode(c.cmdlet)}${c.createdBy === 'hybrid-wizard' ? ' (made by the Hybrid Configuration Wizard, not by you)' : ''}`);
    for (const [key, value] of Object.entries(c.parameters)) {
      const shown = Array.isArray(value) ? value.join(', ') : typeof value === 'boolean' ? (value ? '$true' : '$false') : String(value);
      out.push(`  - ${mdEscape(key)}: ${mdEscape(shown) || '(none)'}`);
    }
    out.push(`- Why: ${mdEscape(c.reason)}`);
    out.push(`- Rule: ${mdEscape(c.rule)}`);
    if (c.existing) out.push(`- Exists as: "${mdEscape(c.existing)}"${c.matchedBecause ? ` (${mdEscape(c.matchedBecause)})` : ''}`);
    for (const g of plan.gaps.filter((x) => x.subject === c.id)) out.push(`- **${mdEscape(g.severity.toUpperCase())}** ${mdCode(g.code)}: ${mdEscape(g.message)} *Fix:* ${mdEscape(g.fix)}`);
    out.push('', markdownCodeBlock(c.powershell, 'powershell'), '');
  }

  if (plan.acceptedDomainChanges.length > 0) {
    out.push('## Accepted domains', '');
    for (const change of plan.acceptedDomainChanges) {
      out.push(`- **${mdEscape(change.domain)}**: ${change.domainType}${change.current ? ` (now ${mdEscape(change.current)})` : ''}. ${mdEscape(change.reason)}`);
    }
    out.push('', markdownCodeBlock(plan.acceptedDomainChanges.map((c) => c.powershell).join('\n'), 'powershell'), '');
  }

  out.push('## Mail flows', '', 'John has a mailbox on your own server, Bob a mailbox in Exchange Online, Sun an Internet mail account.', '');
  out.push('| From | To | Status | Connectors | Path |', '|---|---|---|---|---|');
  for (const f of plan.flows) {
    out.push(`| ${mdEscape(actorText(f.from))} | ${mdEscape(actorText(f.to))} | ${mdEscape(statusText(f.status, plan.existingImported))} | ${f.connectors.map(mdCode).join(', ') || 'none'} | ${mdEscape(f.path.join(' → '))} |`);
  }
  out.push('');
  const attention = plan.flows.filter((f) => f.status !== 'no-connector-needed' && f.status !== 'covered');
  if (attention.length > 0) {
    out.push('Flows that need attention:', '');
    for (const f of attention) out.push(`- ${mdEscape(actorText(f.from))} → ${mdEscape(actorText(f.to))}: ${mdEscape(f.explanation)}${f.fix ? ` *Fix:* ${mdEscape(f.fix)}` : ''}`);
    out.push('');
  }

  const other = plan.gaps.filter((g) => !plan.connectors.some((c) => c.id === g.subject));
  out.push('## Gaps in existing connectors', '');
  if (!plan.existingImported) out.push('No existing connectors were imported. Export them with `Get-InboundConnector | ConvertTo-Json -Depth 5` and `Get-OutboundConnector -IncludeTestModeConnectors $true | ConvertTo-Json -Depth 5`, then run `plan` with `--existing` for each file.', '');
  else if (other.length === 0) {
    const onConnectors = plan.gaps.length - other.length;
    out.push(onConnectors > 0 ? `None beyond the ${onConnectors} listed with the planned connectors above.` : 'None found.', '');
  } else if (other.length < plan.gaps.length) out.push(`Besides the ${plan.gaps.length - other.length} listed with the planned connectors above:`, '');
  for (const g of other) out.push(`- **${mdEscape(g.severity.toUpperCase())}** ${mdCode(g.code)} ${mdEscape(g.subject)}: ${mdEscape(g.message)} *Fix:* ${mdEscape(g.fix)}`);
  if (other.length > 0) out.push('');
  return `${out.join('\n')}\n`;
}
