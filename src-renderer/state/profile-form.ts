import { ProfileSchema, type Profile } from '../../src-main/contract/planner';

/**
 * The plan form's steps and per-field checking. Each answer is checked as it
 * is given, with the contract's own zod schema (so the UI and the planner
 * never disagree about what is valid); messages are keyed by field path
 * (`partners.0.domains`) and shown next to that field.
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

export function validateProfile(profile: Profile): FieldErrors {
  const result = ProfileSchema.safeParse(profile);
  // The plain-words checks first: they win over the schema's generic wording ("Too small: ...").
  const errors: Record<string, string> = { ...extraChecks(profile) };
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join('.') || 'profile';
      errors[path] ??= issue.message;
    }
  }
  return errors;
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

/** Plain checks the UI adds for fields people commonly get wrong, in words. */
function extraChecks(profile: Profile): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!profile.name.trim()) errors['name'] = 'Give the profile a name, e.g. your organisation.';
  if (profile.acceptedDomains.length === 0) errors['acceptedDomains'] = 'Add at least one accepted domain: connectors come after accepted domains.';
  profile.acceptedDomains.forEach((d, i) => {
    if (!looksLikeDomain(d)) errors[`acceptedDomains.${i}`] = `"${d}" is not a domain name (like contoso.com).`;
  });
  profile.ownServers.forEach((s, i) => {
    if (!s.name.trim()) errors[`ownServers.${i}.name`] = 'Give the server a name.';
    s.publicIps.forEach((ip, j) => {
      if (!looksLikeIpv4OrRange(ip)) errors[`ownServers.${i}.publicIps.${j}`] = `"${ip}" is not an IPv4 address or a /24 to /32 range.`;
    });
  });
  profile.partners.forEach((p, i) => {
    if (!p.name.trim()) errors[`partners.${i}.name`] = 'Give the partner a name.';
    p.ipRanges.forEach((ip, j) => {
      if (!looksLikeIpv4OrRange(ip)) errors[`partners.${i}.ipRanges.${j}`] = `"${ip}" is not an IPv4 address or a /24 to /32 range (connectors take no IPv6 and no larger ranges).`;
    });
    if (p.domains.length === 0) errors[`partners.${i}.domains`] = 'Add the domains the partner sends from.';
    if (p.certificateCheck === 'ca-issued-with-name' && !p.certificateName?.trim()) {
      errors[`partners.${i}.certificateName`] = 'Checking the name on the certificate needs that name.';
    }
  });
  profile.devices.forEach((d, i) => {
    if (!d.name.trim()) errors[`devices.${i}.name`] = 'Give the device a name, e.g. Printer.';
    if (d.staticPublicIp !== undefined && !/^\d{1,3}(\.\d{1,3}){3}$/.test(d.staticPublicIp.trim())) errors[`devices.${i}.staticPublicIp`] = `"${d.staticPublicIp}" is not an IPv4 address.`;
  });
  return errors;
}

export function looksLikeDomain(value: string): boolean {
  return /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(value.trim());
}

export function looksLikeIpv4OrRange(value: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(value.trim());
  if (!match) return false;
  const octetsOk = match.slice(1, 5).every((o) => Number(o) <= 255);
  const prefix = match[5] === undefined ? 32 : Number(match[5]);
  return octetsOk && prefix >= 24 && prefix <= 32;
}

/** Errors that belong to a step (its fields and everything below them). */
export function errorsForStep(errors: FieldErrors, fields: readonly string[]): FieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([path]) => fields.some((f) => path === f || path.startsWith(`${f}.`))));
}

/** "a.com, b.com\nc.com" → ["a.com", "b.com", "c.com"]: one list field typed as text. */
export function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
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
