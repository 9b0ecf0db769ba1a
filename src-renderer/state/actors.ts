import type { Profile } from '../../src-main/contract/planner';
import { actorId, deviceActor, parseActorId, partnerActor } from '../../src-main/contract/actors';

/**
 * The people and systems on the diagram, named as the article names them:
 * John (a mailbox on your own server), Bob (a mailbox in Office 365), Sun
 * (someone on the Internet), plus each partner and device.
 */
export interface ActorInfo {
  readonly id: string;
  readonly title: string;
  readonly subtitle: string;
  readonly kind: 'john' | 'bob' | 'sun' | 'partner' | 'device' | 'other';
}

const SERVER_KIND_WORDS: Readonly<Record<string, string>> = {
  'exchange-2010-or-later': 'Exchange 2010 or later',
  'exchange-2007-or-earlier': 'Exchange 2007 or earlier',
  'non-microsoft': 'a non-Microsoft SMTP server',
};

export function describeActor(actor: string, profile: Profile | undefined): ActorInfo {
  if (actor === 'john') {
    const server = profile?.ownServers[0];
    const on = server ? `on ${server.name} (${SERVER_KIND_WORDS[server.kind] ?? server.kind})` : 'on your own mail server';
    return { id: actor, title: 'John', subtitle: `Mailbox ${on}`, kind: 'john' };
  }
  if (actor === 'bob') {
    const service = profile?.subscription === 'eop-standalone' ? 'Exchange Online Protection' : 'Exchange Online';
    return { id: actor, title: 'Bob', subtitle: `Mailbox in Office 365 (${service})`, kind: 'bob' };
  }
  if (actor === 'sun') return { id: actor, title: 'Sun', subtitle: 'Someone on the Internet', kind: 'sun' };
  const ref = parseActorId(actor);
  if (ref?.kind === 'partner') {
    const name = ref.name ?? '';
    const partner = profile?.partners.find((p) => p.name === name);
    return { id: actor, title: name, subtitle: partner?.domains.length ? `Partner (${partner.domains.join(', ')})` : 'Partner organisation', kind: 'partner' };
  }
  if (ref?.kind === 'device') {
    return { id: actor, title: ref.name ?? '', subtitle: 'Device or application', kind: 'device' };
  }
  return { id: actor, title: actor, subtitle: '', kind: 'other' };
}

/** The short name used in sentences: "John", "ContosoBank". */
export function actorName(actor: string, profile?: Profile): string {
  return describeActor(actor, profile).title;
}

/** A stable, CSS- and test-friendly form of an actor id: `partner:Contoso Bank` → `partner-contoso-bank`. */
export function actorSlug(actor: string): string {
  return actor.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'actor';
}

/** `flow-edge-john-bob`: the test id and edge id of one directed flow. */
export function flowKey(from: string, to: string): string {
  return `flow-edge-${actorSlug(from)}-${actorSlug(to)}`;
}

/** The actors the profile implies, even before a plan exists. */
export function actorsOfProfile(profile: Profile): string[] {
  const actors: string[] = [];
  if (profile.ownServers.length > 0 || profile.mailboxes !== 'all-cloud') actors.push('john');
  actors.push('bob', 'sun');
  for (const p of profile.partners) actors.push(actorId(partnerActor(p.name)));
  for (const d of profile.devices) actors.push(actorId(deviceActor(d.name)));
  return actors;
}
