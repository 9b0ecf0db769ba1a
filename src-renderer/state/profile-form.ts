import { ProfileSchema, type Profile } from '../../src-main/contract/planner';
import { certificateNameRule, domainPatternRule, domainRule, hostNameRule, publicIpv4RangeRule, publicIpv4Rule, smartHostRule, type ValueRule } from '../../src-main/contract/rules';

/**
 * The plan form's steps and per-field checking. Each answer is checked as it
 * is given, with the contract's rules and schema (so the UI and the planner
 * never disagree about what is valid); messages are keyed by field path
 * (`partners.0.domains.1`) and shown next to that field.
 */
export const PLAN_STEPS = [
  { id: 'organisation', title: 'Your organisation', fields: ['name', 'acceptedDomains', 'subscription'] },
  { id: 'mailboxes', title: 'Mailboxes and MX', fields: ['mailboxes', 'mxPointsTo', 'hybridWizardCompleted'] },
  { id: 'servers', title: 'Your own mail servers', fields: ['ownServers'] },
  { id: 'partners', title: 'Partners', fields: ['partners'] },
  { id: 'devices', title: 'Devices and applications', fields: ['devices'] },
  { id: 'review', title: 'Review and plan', fields: [] },
] as const;

export type FieldErrors = Readonly<Record<string, string>>;

/**
 * Every problem of the profile, keyed by field path (`partners.0.domains.1`),
 * in words. Each value is judged by the contract's rules (contract/rules.ts),
 * the same functions the planner and the contract's schema use, so what the
 * wizard accepts the planner accepts and nothing invalid reaches a script.
 * The schema runs after them for what no rule covers (sizes, duplicate names);
 * its messages are put in words too (`schemaIssueWords`).
 */
export function validateProfile(profile: Profile): FieldErrors {
  const errors: Record<string, string> = { ...ruleChecks(profile) };
  const result = ProfileSchema.safeParse(profile);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join('.') || 'profile';
      // A rule already said what is wrong with this value or one of its entries.
      if (Object.keys(errors).some((known) => known === path || known.startsWith(`${path}.`))) continue;
      errors[path] ??= schemaIssueWords(issue);
    }
  }
  return errors;
}

/**
 * A schema issue in words: zod's own texts ("Too small: expected string to
 * have >=1 characters") never reach the user.
 */
export function schemaIssueWords(issue: { readonly code: string; readonly message: string; readonly minimum?: unknown; readonly maximum?: unknown; readonly origin?: unknown }): string {
  const origin = typeof issue.origin === 'string' ? issue.origin : '';
  if (issue.code === 'too_small') return origin === 'array' ? `Add at least ${String(issue.minimum)}.` : 'This is needed.';
  if (issue.code === 'too_big') return origin === 'array' ? `At most ${String(issue.maximum)} entries.` : `At most ${String(issue.maximum)} characters.`;
  if (issue.code === 'custom' || issue.code === 'invalid_format') return sentence(issue.message);
  return 'This answer is not one the plan can use.';
}

/** "a domain name such as contoso.com" → "A domain name such as contoso.com.": rule texts as sentences next to a field. */
function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const first = trimmed.startsWith('"') ? trimmed : trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?)]$/.test(first) ? first : `${first}.`;
}

const FIELD_WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ownServers: { name: 'name', hostNames: 'public host names', publicIps: 'public IPv4 addresses', certificateName: 'certificate name', domains: 'domains' },
  partners: { name: 'name', domains: 'mail domains', certificateName: "name on their receiving server's certificate", senderCertificateName: 'certificate name they send with', ipRanges: 'IPv4 ranges', smartHosts: 'smart hosts' },
  devices: { name: 'name', staticPublicIp: 'static public IPv4 address', certificateName: 'certificate name' },
};
const LIST_WORDS: Readonly<Record<string, string>> = { ownServers: 'Server', partners: 'Partner', devices: 'Device' };
const TOP_WORDS: Readonly<Record<string, string>> = { name: 'Profile name', acceptedDomains: 'Accepted domains', subscription: 'Subscription', mailboxes: 'Mailboxes', mxPointsTo: 'MX record' };

/** A field path (`partners.1.ipRanges.0`) in the form's words: "Partner 2, IPv4 ranges". */
export function fieldLabel(path: string): string {
  const [top = '', index, field] = path.split('.');
  const list = LIST_WORDS[top];
  if (list && index !== undefined && /^\d+$/.test(index)) {
    const words = field ? FIELD_WORDS[top]?.[field] ?? field : undefined;
    return `${list} ${Number(index) + 1}${words ? `, ${words}` : ''}`;
  }
  return TOP_WORDS[top] ?? path;
}

/** Each entry of a list judged by one rule: `path.<i>` → the problem. */
function checkList(errors: Record<string, string>, path: string, values: readonly string[], rule: ValueRule): void {
  values.forEach((value, i) => {
    const problem = rule(value);
    if (problem) errors[`${path}.${i}`] = sentence(problem);
  });
}

function checkOne(errors: Record<string, string>, path: string, value: string | undefined, rule: ValueRule): void {
  if (value === undefined) return;
  const problem = rule(value);
  if (problem) errors[path] = sentence(problem);
}

/** The contract's rules applied to every value, plus what each step needs (names, at least one domain). */
function ruleChecks(profile: Profile): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!profile.name.trim()) errors['name'] = 'Give the profile a name, e.g. your organisation.';
  if (profile.acceptedDomains.length === 0) errors['acceptedDomains'] = 'Add at least one accepted domain: connectors come after accepted domains.';
  checkList(errors, 'acceptedDomains', profile.acceptedDomains, domainRule);
  profile.ownServers.forEach((s, i) => {
    const at = `ownServers.${i}`;
    if (!s.name.trim()) errors[`${at}.name`] = 'Give the server a name.';
    checkList(errors, `${at}.hostNames`, s.hostNames, hostNameRule);
    checkList(errors, `${at}.publicIps`, s.publicIps, publicIpv4RangeRule);
    checkOne(errors, `${at}.certificateName`, s.certificateName, certificateNameRule);
    checkList(errors, `${at}.domains`, s.domains, domainRule);
  });
  profile.partners.forEach((p, i) => {
    const at = `partners.${i}`;
    if (!p.name.trim()) errors[`${at}.name`] = 'Give the partner a name.';
    if (p.domains.length === 0) errors[`${at}.domains`] = 'Add the domains the partner sends from.';
    checkList(errors, `${at}.domains`, p.domains, domainPatternRule);
    if (p.certificateCheck === 'ca-issued-with-name' && !p.certificateName?.trim()) errors[`${at}.certificateName`] = 'Checking the name on the certificate needs that name.';
    else checkOne(errors, `${at}.certificateName`, p.certificateName, certificateNameRule);
    checkOne(errors, `${at}.senderCertificateName`, p.senderCertificateName, certificateNameRule);
    checkList(errors, `${at}.ipRanges`, p.ipRanges, publicIpv4RangeRule);
    checkList(errors, `${at}.smartHosts`, p.smartHosts, smartHostRule);
  });
  profile.devices.forEach((d, i) => {
    const at = `devices.${i}`;
    if (!d.name.trim()) errors[`${at}.name`] = 'Give the device a name, e.g. Printer.';
    checkOne(errors, `${at}.staticPublicIp`, d.staticPublicIp, publicIpv4Rule);
    checkOne(errors, `${at}.certificateName`, d.certificateName, certificateNameRule);
  });
  return errors;
}

/** The messages of a list field: the list's own, then each bad entry's, in order. */
export function listErrors(errors: FieldErrors, path: string, count: number): string[] {
  const own = errors[path];
  const entries = Array.from({ length: count }, (_, i) => errors[`${path}.${i}`]).filter((m): m is string => m !== undefined);
  return own ? [own, ...entries] : entries;
}

/** Errors that belong to a step (its fields and everything below them). */
export function errorsForStep(errors: FieldErrors, fields: readonly string[]): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([path]) => fields.some((f) => path === f || path.startsWith(`${f}.`))));
}

/**
 * A list field's text → its entries: one per line, commas allowed between
 * entries on a line. Spaces never separate entries: "mail fabrikam com" stays
 * one entry, so the rules say it has spaces instead of the script getting
 * three hosts.
 */
export function splitList(text: string): string[] {
  return text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
}

/** A list as its field shows it: one entry per line. */
export function joinList(values: readonly string[]): string {
  return values.join('\n');
}

export function emptyProfile(): Profile {
  return {
    name: '',
    acceptedDomains: [],
    subscription: 'exchange-online',
    ownServers: [],
    hybridWizardCompleted: false,
    mailboxes: 'all-cloud',
    mxPointsTo: 'office365',
    partners: [],
    devices: [],
  };
}
