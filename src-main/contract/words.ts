import type { FlowStatus } from './planner';
import type { CertificateVerdict } from './probe';

/**
 * The plan's ids in the article's words, for everything a person reads (the
 * app and the exports): `john` is "John", `partner:ContosoBank` is
 * "ContosoBank", `connector-missing` is "Connector needed" (before an import)
 * or "Connector missing" (after one). One copy, used by the renderer and by
 * main's HTML and Markdown reports (and the CLI's). Plain values, no schemas:
 * the command line's probe prints with them without loading zod.
 */
export const FLOW_STATUS_WORDS: Readonly<Record<FlowStatus, { readonly label: string; readonly description: string }>> = {
  covered: { label: 'Covered', description: 'The connector this flow needs exists and matches the plan.' },
  'connector-missing': { label: 'Connector missing', description: 'This flow needs a connector that does not exist yet.' },
  'no-connector-needed': { label: 'No connector needed', description: 'Office 365 handles this flow by itself.' },
  'not-possible': { label: 'Not possible', description: 'Mail cannot take this path with the answers given.' },
  'tls-failing': { label: 'TLS failing', description: 'A diagnosis found that TLS fails on this path: mail that requires TLS will bounce.' },
  'not-checked': { label: 'Not yet checked', description: 'The connector is planned; nothing has checked it yet (import your connectors or diagnose the hosts).' },
};

export const CONNECTOR_NEEDED_WORDS = {
  label: 'Connector needed',
  description: 'This flow needs a connector. Nothing has checked yet whether you have it: import your existing connectors to check.',
} as const;

/** A status in words: before an import, a missing connector is worded as a need. */
export function flowStatusLabel(status: FlowStatus, imported: boolean): string {
  return status === 'connector-missing' && !imported ? CONNECTOR_NEEDED_WORDS.label : FLOW_STATUS_WORDS[status].label;
}

/** An actor by its name: "John (mailbox on your server)", "Bob (mailbox in Office 365)", "Sun (the Internet)", a partner's or device's own name. */
export function actorWords(actor: string): string {
  if (actor === 'john') return 'John (mailbox on your own server)';
  if (actor === 'bob') return 'Bob (mailbox in Office 365)';
  if (actor === 'sun') return 'Sun (someone on the Internet)';
  if (actor.startsWith('partner:')) return `${actor.slice('partner:'.length)} (partner)`;
  if (actor.startsWith('device:')) return `${actor.slice('device:'.length)} (device)`;
  return actor;
}

/** A connector end (`office365`, `own-server`, `partner:<name>`, `device:<name>`) in words. */
export function connectorEndWords(end: string): string {
  if (end === 'office365') return 'Office 365';
  if (end === 'own-server') return 'your own server';
  return actorWords(end);
}

/**
 * Text split at backticks: odd parts were `quoted as code`. Finding texts
 * write commands and names that way; the UI and HTML show them as code (as
 * text, never markup), Markdown as code spans. An unpaired backtick stays text.
 */
export function splitInlineCode(text: string): readonly { readonly code: boolean; readonly text: string }[] {
  const parts = text.split('`');
  if (parts.length < 3) return [{ code: false, text }];
  const pieces: { code: boolean; text: string }[] = [];
  const paired = parts.length % 2 === 1 ? parts : [...parts.slice(0, -2), `${parts.at(-2)}\`${parts.at(-1)}`];
  paired.forEach((part, i) => {
    if (part !== '') pieces.push({ code: i % 2 === 1, text: part });
  });
  return pieces;
}

/**
 * The certificate verdict's word for tables: never a bare "trusted" when the
 * chain is trusted only through a CA the user added (Exchange Online would not
 * trust it).
 */
export function certificateSummaryWord(verdict: Pick<CertificateVerdict, 'summary' | 'trustAnchorSource'>): string {
  return verdict.summary === 'trusted' && verdict.trustAnchorSource === 'extra' ? 'trusted by your CA file only' : verdict.summary;
}
