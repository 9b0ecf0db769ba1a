import type { PartnerMessage, PartnerMxResult, PartnerResult, SettingReadiness } from '../contract/partners';
import { escapeMarkdown } from '../text/escape';

/**
 * The message a bank's mail team sends a partner that is not ready (or ready
 * with warnings): short, polite and technical, in words a partner's mail
 * admin understands. What was found on which MX, the evidence (certificate
 * subject, issuer, dates, the stage that failed), and what to fix.
 *
 * Everything the partner's servers sent (banners, certificate fields) is
 * untrusted text: escaped in Markdown, control characters made visible in
 * the plain text.
 */
type Assessment = Omit<PartnerResult, 'message' | 'checkedAt' | 'elapsedMs'> & { readonly checkedAt?: string };

/** A block of the message: a paragraph or a list. */
type Block = { readonly kind: 'p'; readonly text: string } | { readonly kind: 'list'; readonly items: readonly ListItem[] } | { readonly kind: 'h'; readonly text: string };
interface ListItem { readonly text: string; readonly details: readonly string[] }

export function composePartnerMessage(result: Assessment): PartnerMessage | null {
  if (result.status === 'ready') return null;
  const who = result.name ? `${result.name} mail team` : `mail administrators of ${result.domainUnicode}`;
  const blocks: Block[] = [];
  blocks.push({ kind: 'p', text: `Hello ${who},` });
  blocks.push({ kind: 'p', text: intro(result) });
  const found = findings(result);
  if (found.length > 0) {
    blocks.push({ kind: 'h', text: 'What we found' });
    blocks.push({ kind: 'list', items: found });
  }
  const fixes = whatToFix(result);
  if (fixes.length > 0) {
    blocks.push({ kind: 'h', text: 'What we would ask you to change' });
    blocks.push({ kind: 'list', items: fixes.map((text) => ({ text, details: [] })) });
  }
  blocks.push({ kind: 'p', text: 'Our test connects to your MX hosts on port 25 the way Microsoft Exchange Online (Office 365) does, negotiates STARTTLS and checks the certificate; it never sends a message. Once the changes are made, please let us know and we will test again. If you believe our result is wrong, we are glad to compare notes.' });
  blocks.push({ kind: 'p', text: 'Kind regards' });
  const subject = `${subjectWords(result)}: ${result.domainUnicode}`;
  return { subject, markdown: renderMarkdown(blocks), text: renderText(blocks) };
}

function subjectWords(result: Assessment): string {
  switch (result.status) {
    case 'no-mail': return 'Enforced TLS for e-mail: your domain does not receive mail';
    case 'unreachable': return 'Enforced TLS for e-mail: we could not reach your mail servers';
    case 'not-ready': return 'Enforced TLS for e-mail: changes needed on your mail servers';
    default: return 'Enforced TLS for e-mail: works, with points to look at';
  }
}

function intro(result: Assessment): string {
  const date = result.checkedAt ? ` on ${result.checkedAt.slice(0, 10)}` : '';
  const tls = result.tlsDomain
    ? `with your servers' certificate validated and required to name ${result.tlsDomain} (Exchange Online TlsSettings DomainValidation)`
    : "with your servers' certificate validated (Exchange Online TlsSettings CertificateValidation)";
  const lead = result.direction === 'inbound'
    ? `We are setting up our Exchange Online (Office 365) to require TLS for e-mail from ${result.domainUnicode}.`
    : `We are setting up our Exchange Online (Office 365) so that e-mail to ${result.domainUnicode} is sent only over TLS, ${tls}${result.direction === 'both' ? ', and mail from you must reach us over TLS too' : ''}.`;
  switch (result.status) {
    case 'no-mail': return `${lead} When we tested${date}, we found that ${result.summary} Is ${result.domainUnicode} the right domain for mail to you?`;
    case 'unreachable': return `${lead} When we tested${date}, we could not reach your mail servers, so we could not test TLS. This may be a problem on our side; the details are below.`;
    case 'not-ready': return `${lead} When we tested${date}, this would not work yet: our mail to you would wait in a queue and come back undelivered after a while. The details are below.`;
    default: return `${lead} When we tested${date}, it worked, but we noticed the points below, which could stop mail later.`;
  }
}

function certificateLines(mx: PartnerMxResult): string[] {
  const c = mx.certificate;
  if (!c) return [];
  const lines = [
    `Certificate subject: ${c.subject}`,
    `Issuer: ${c.issuer}`,
    `Valid from ${c.validFrom} to ${c.validTo} (${c.daysLeft < 0 ? `expired ${-c.daysLeft} day(s) ago` : `${c.daysLeft} day(s) left`})`,
    `Names on the certificate: ${c.names.join(', ') || 'none'}`,
  ];
  const intermediate = mx.chain.slice(1).find((x) => x.daysLeft < 0);
  if (intermediate) lines.push(`Expired certificate in the chain: ${intermediate.subject} (valid to ${intermediate.validTo})`);
  return lines;
}

/** One item per MX address, with its own reasons (never merged with another host's). */
function findings(result: Assessment): ListItem[] {
  if (result.status === 'no-mail') return [{ text: result.summary, details: [] }];
  const items: ListItem[] = [];
  const required: SettingReadiness | undefined = result.direction === 'inbound'
    ? result.readiness.EncryptionOnly
    : result.tlsDomain ? result.readiness.DomainValidation : result.readiness.CertificateValidation;
  for (const mx of result.mx) {
    const where = `${mx.host} (${mx.address}, preference ${mx.preference})`;
    if (!mx.reached) {
      items.push({ text: `${where}: no SMTP conversation${mx.failedStage ? ` (failed at: ${mx.failedStage})` : ''}. ${(mx.failure ?? '').replace(/\.$/, '')}.`, details: [] });
      continue;
    }
    const failedOn = (setting: SettingReadiness | undefined): string[] => (setting?.hosts ?? [])
      .filter((h) => h.host === mx.host && h.address === mx.address && h.verdict === 'fail')
      .map((h) => h.reason);
    const tlsFailures = failedOn(result.readiness.EncryptionOnly);
    // When TLS itself works, the certificate check's reasons ("UntrustedRoot: …") name the cause, not the check: say which check.
    const lead = required === result.readiness.DomainValidation ? `Certificate validation for the name ${result.tlsDomain} would fail` : 'Certificate validation would fail';
    const certificateFailures = required === result.readiness.EncryptionOnly || tlsFailures.length > 0
      ? failedOn(required)
      : failedOn(required).map((reason) => (reason.startsWith(lead) || reason.startsWith('Certificate validation would fail') ? reason : `${lead}: ${reason}`));
    const own = [...tlsFailures, ...certificateFailures];
    const reasons = [...new Set(own)];
    const tls = mx.tlsVersion ? `STARTTLS works (${mx.tlsVersion})` : mx.starttls ? 'STARTTLS is offered but TLS could not be established' : 'STARTTLS is not offered';
    const stage = mx.failedStage ? ` The conversation stopped at: ${mx.failedStage}.` : '';
    items.push({
      text: `${where}: ${tls}.${reasons.length > 0 ? ` ${reasons.join(' ')}` : ' No problem found on this host.'}${stage}`,
      details: certificateLines(mx),
    });
  }
  for (const problem of result.problems) {
    if (problem.startsWith('DomainValidation: ') || problem.startsWith('Inbound: ') || /^A certificate expires/.test(problem) || /DANE/.test(problem)) {
      items.push({ text: problem, details: [] });
    }
  }
  for (const dns of result.dns) items.push({ text: dns, details: [] });
  return items;
}

function whatToFix(result: Assessment): string[] {
  if (result.status === 'no-mail') return ['If mail for your organisation should reach this domain, publish MX records for it; otherwise please tell us the right domain.'];
  if (result.status === 'unreachable') return ['Check that your MX hosts accept connections on port 25 from the Internet (Microsoft 365 address ranges included).'];
  const fixes = new Set<string>();
  const settings = result.direction === 'inbound'
    ? [result.readiness.EncryptionOnly]
    : [result.readiness.EncryptionOnly, result.tlsDomain ? result.readiness.DomainValidation : result.readiness.CertificateValidation];
  for (const s of settings) {
    if (s.verdict !== 'fail') continue;
    // The engine's fix for a name mismatch speaks to us (the connector); the partner is asked for the name instead.
    if (s === result.readiness.DomainValidation && result.tlsDomain && result.readiness.CertificateValidation.verdict === 'pass') {
      fixes.add(`Please put ${result.tlsDomain} on the certificate of every MX host (as a subjectAltName), or tell us which name your certificates carry so that we can use it.`);
    } else {
      fixes.add(s.fix);
    }
  }
  if (result.status === 'ready-with-warnings') {
    if (result.daysToExpiry !== null && result.daysToExpiry >= 0 && result.problems.some((p) => p.startsWith('A certificate expires'))) fixes.add(`Renew the certificate that expires in ${result.daysToExpiry} day(s), and install the new one on every MX host in time.`);
    if (result.problems.some((p) => p.startsWith('DomainValidation: '))) fixes.add(`If you can, put one name (e.g. *.${result.domain}) on the certificates of all your MX hosts, so that we can also check the name.`);
    if (result.mx.some((m) => !m.reached)) fixes.add('Check that every MX host accepts connections on port 25 (or remove the MX records of hosts no longer in use).');
  }
  return [...fixes];
}

// ---------------------------------------------------------------- rendering

function renderMarkdown(blocks: readonly Block[]): string {
  return `${blocks.map((b) => {
    switch (b.kind) {
      case 'p': return escapeMarkdown(b.text);
      case 'h': return `**${escapeMarkdown(b.text)}**`;
      case 'list': return b.items.map((i) => [`- ${escapeMarkdown(i.text)}`, ...i.details.map((d) => `  - ${escapeMarkdown(d)}`)].join('\n')).join('\n');
    }
  }).join('\n\n')}\n`;
}

/** Plain text: wrapped at 76 columns, control characters shown as \xNN. */
function renderText(blocks: readonly Block[]): string {
  return `${blocks.map((b) => {
    switch (b.kind) {
      case 'p': return wrap(visible(b.text), 76, '', '');
      case 'h': return `${visible(b.text)}:`;
      case 'list': return b.items.map((i) => [wrap(visible(i.text), 76, '- ', '  '), ...i.details.map((d) => wrap(visible(d), 76, '    ', '      '))].join('\n')).join('\n');
    }
  }).join('\n\n')}\n`;
}

function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function wrap(text: string, width: number, first: string, rest: string): string {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/ +/)) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}
