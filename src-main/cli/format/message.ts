import { formatSeconds } from '../../contract/message';
import type { Hop, MessageAnalysis, MessageSeverity } from '../../contract/message';
import { safe, type Style } from './style';

/**
 * Human output of `mailflow-doctor message`: the hops (grouped, with delays
 * and TLS), authentication in words, Exchange Online's attribution and
 * verdict, Exchange builds, the NDR explained, the path on the diagram and
 * the flags. Every string from the message goes through safe().
 */
const MARK: Readonly<Record<MessageSeverity, string>> = { ok: '✓', info: 'i', warn: '!', fail: '✗' };

function mark(severity: MessageSeverity, style: Style): string {
  const m = MARK[severity];
  return severity === 'fail' ? style.red(m) : severity === 'warn' ? style.yellow(m) : severity === 'ok' ? style.green(m) : style.cyan(m);
}

function delayText(hop: Hop): string {
  if (hop.clockSkew) return `clock ${formatSeconds(hop.skewSeconds ?? 0)} behind`;
  return hop.delaySeconds === undefined ? '' : `+${formatSeconds(hop.delaySeconds)}`;
}

function tlsText(hop: Hop, style: Style): string {
  const text = safe(hop.encryption.text);
  return hop.encryption.state === 'tls' ? style.green(text) : hop.encryption.state === 'none' ? style.red(text) : style.dim(text);
}

/** The plan's flow status in words (the plan here is built without imported connectors). */
const FLOW_WORDS: Readonly<Record<string, string>> = {
  covered: 'covered by existing connectors', 'connector-missing': 'needs a connector (planned; import your connectors to check it exists)', 'no-connector-needed': 'no connector needed',
  'not-possible': 'not possible with this set-up', 'tls-failing': 'TLS failing', 'not-checked': 'made by the Hybrid Configuration Wizard, not checked',
};

const ACTOR_WORDS: Readonly<Record<string, string>> = { john: 'John', bob: 'Bob', sun: 'Sun', 'own-server': 'your email server', office365: 'Office 365', internet: 'Internet' };
const actorWords = (actor: string): string => ACTOR_WORDS[actor] ?? actor.replace(/^(partner|device):/, '');

export function renderMessageAnalysis(a: MessageAnalysis, style: Style, profileName?: string): string {
  const out: string[] = [];
  const title = a.ndr ? 'Non-delivery report' : 'Message';
  out.push(style.bold(`${title}: ${safe(a.subject ?? '(no subject)')}`));
  const who = [a.from ? `from ${safe(a.from)}` : undefined, a.to.length > 0 ? `to ${a.to.slice(0, 5).map(safe).join(', ')}` : undefined].filter(Boolean).join(' ');
  out.push(`  ${[who, a.date ? safe(a.date) : undefined, `${a.source.kind}, ${a.source.bytes} bytes`].filter(Boolean).join(' · ')}`);

  if (a.ndr) {
    out.push('', style.bold('Why it was not delivered'));
    const n = a.ndr;
    const e = n.explanation;
    if (e) out.push(`  ${style.red(safe(e.code))} ${safe(e.title)}`, `  Meaning:  ${safe(e.meaning)}`, `  Involves: ${safe(e.involves)}`, `  Fix:      ${safe(e.fix)}`);
    else out.push('  No status code was found in the report.');
    if (n.generatingServer) out.push(`  Generating server: ${safe(n.generatingServer)}`);
    if (n.remoteServer) out.push(`  Remote server: ${safe(n.remoteServer)}`);
    if (n.reply) out.push(`  Reply: ${safe(n.reply)}`);
    for (const r of n.recipients.slice(0, 10)) out.push(`  Recipient: ${safe(r.address)}${r.status ? ` (${safe(r.status)})` : ''}`);
    if (n.probe) out.push(`  Confirm it: ${style.cyan(n.probe.kind === 'host' ? `mailflow-doctor probe ${safe(n.probe.target)}` : `mailflow-doctor check ${safe(n.probe.target)}`)}  ${style.dim(`(${safe(n.probe.why)})`)}`);
    if (e) out.push(style.dim(`  Source: ${e.source}`));
  }

  out.push('', style.bold(`Hops${a.totalSeconds !== undefined ? ` (${formatSeconds(a.totalSeconds)} from first to last)` : ''}`));
  if (a.hops.length === 0) out.push('  None (no Received: fields).');
  for (const group of a.hopGroups) {
    out.push(`  ${style.bold(safe(group.label))}`);
    for (const hop of a.hops.filter((h) => h.index >= group.first && h.index <= group.last)) {
      const from = hop.from ? `${safe(hop.from)}${hop.fromIp ? ` [${safe(hop.fromIp)}]` : ''}` : '(not given)';
      const delay = delayText(hop);
      out.push(`  ${String(hop.index).padStart(3)}  ${from} → ${safe(hop.by ?? '(not given)')}${delay ? `  ${hop.clockSkew ? style.yellow(delay) : delay}` : ''}`);
      const details = [tlsText(hop, style), hop.with ? safe(hop.with) : undefined, hop.time ? hop.time.replace('T', ' ').replace(/\.000Z$/, ' UTC') : 'no date'].filter(Boolean).join(' · ');
      out.push(`       ${details}`);
    }
  }

  out.push('', style.bold('Authentication'));
  for (const line of a.authentication.summary) out.push(`  ${safe(line)}`);

  out.push('', style.bold('Exchange Online'));
  out.push(`  ${safe(a.exchange.attribution.text)}`);
  if (a.exchange.present) out.push(`  Treated as: ${a.exchange.treatedAs}`);
  for (const line of a.exchange.verdict) out.push(`  ${safe(line)}`);
  for (const field of a.exchange.explained.filter((f) => ['CIP', 'CTRY', 'H'].includes(f.field))) out.push(style.dim(`  ${field.field} ${safe(field.value)}: ${safe(field.text)}`));

  if (a.exchangeServers.length > 0) {
    out.push('', style.bold('Exchange servers in the path'));
    for (const s of a.exchangeServers) {
      const severity: MessageSeverity = s.status === 'out-of-support' ? 'fail' : s.status === 'out-of-date' ? 'warn' : s.status === 'unknown' ? 'info' : 'ok';
      out.push(`  ${mark(severity, style)} ${safe(s.host)}: ${safe(s.text)}`);
    }
  }

  if (a.path) {
    out.push('', style.bold(`On the diagram${profileName ? ` of ${safe(profileName)}` : ''}`));
    out.push(`  ${a.path.steps.map((s) => `${safe(actorWords(s.actor))}${s.hops.length > 1 ? ` (hops ${s.hops[0]}-${s.hops.at(-1)})` : s.hops.length === 1 ? ` (hop ${s.hops[0]})` : ''}`).join(' → ')}`);
    if (a.path.flow) out.push(`  Planned flow ${safe(actorWords(a.path.flow.from))} → ${safe(actorWords(a.path.flow.to))}: ${FLOW_WORDS[a.path.flow.status] ?? a.path.flow.status}`);
    if (a.path.connectorUsed) out.push(`  Connector used: ${safe(a.path.connectorUsed)}`);
    out.push(`  Connector expected: ${a.path.connectorExpected.length > 0 ? a.path.connectorExpected.map((c) => `"${safe(c)}"`).join(' and ') : 'none'}`);
    for (const e of a.path.evidence) out.push(style.dim(`  ${safe(e)}`));
  }

  out.push('', style.bold('Findings'));
  if (a.flags.length === 0) out.push(`  ${mark('ok', style)} Nothing wrong found in the headers.`);
  for (const f of a.flags) {
    out.push(`  ${mark(f.severity, style)} ${style.bold(f.code)} ${safe(f.message)}`);
    if (f.fix) out.push(`      Fix: ${safe(f.fix)}`);
  }
  if (a.notes.length > 0) {
    out.push('', style.bold('Notes'));
    for (const n of a.notes) out.push(`  ${mark(n.severity, style)} ${safe(n.message)}`);
  }
  return `${out.join('\n')}\n`;
}
