import { z } from 'zod';

/**
 * One typed reference to a person or system in the plan, and the one place
 * its text id is built and split.
 *
 * The article's people: John (a mailbox on your own server), Bob (a mailbox
 * in Exchange Online), Sun (someone on the Internet); plus Office 365 itself,
 * your own server(s), each partner and each device. On the wire (flows,
 * connector ends, observations) an actor is a text id: `john`, `bob`, `sun`,
 * `office365`, `own-server`, `partner:<name>`, `device:<name>`, `gateway:<name>`
 * (an outbound filtering or archiving service). Names may
 * contain anything a profile name may (spaces, colons), so ids are split at
 * the first colon only, here and nowhere else.
 */
export const ActorKindSchema = z.enum(['john', 'bob', 'sun', 'office365', 'own-server', 'partner', 'device', 'gateway']);
export type ActorKind = z.infer<typeof ActorKindSchema>;

export const ActorRefSchema = z.object({
  kind: ActorKindSchema,
  /** The partner's, device's or own server's name from the profile (absent for John, Bob, Sun and Office 365). */
  name: z.string().max(100).optional(),
});
export type ActorRef = z.infer<typeof ActorRefSchema>;

const NAMED = new Set<ActorKind>(['partner', 'device', 'gateway']);

/** The text id of an actor: `partner:ContosoBank`, `device:Printer`, `john`. An own server's name is not part of its id (`own-server`). */
export function actorId(ref: ActorRef): string {
  return NAMED.has(ref.kind) ? `${ref.kind}:${ref.name ?? ''}` : ref.kind;
}

export const partnerActor = (name: string): ActorRef => ({ kind: 'partner', name });
export const deviceActor = (name: string): ActorRef => ({ kind: 'device', name });
export const ownServerActor = (name?: string): ActorRef => (name === undefined ? { kind: 'own-server' } : { kind: 'own-server', name });

/** A text id back into a reference; undefined for an id that is none of the known forms (e.g. a host name). */
export function parseActorId(id: string): ActorRef | undefined {
  const colon = id.indexOf(':');
  if (colon < 0) {
    const kind = ActorKindSchema.safeParse(id);
    return kind.success && !NAMED.has(kind.data) ? { kind: kind.data } : undefined;
  }
  const kind = id.slice(0, colon);
  if (kind !== 'partner' && kind !== 'device' && kind !== 'gateway') return undefined;
  return { kind, name: id.slice(colon + 1) };
}

/** The partner's name when the id is `partner:<name>`. */
export function partnerNameOf(id: string): string | undefined {
  const ref = parseActorId(id);
  return ref?.kind === 'partner' ? ref.name : undefined;
}

/** The device's name when the id is `device:<name>`. */
export function deviceNameOf(id: string): string | undefined {
  const ref = parseActorId(id);
  return ref?.kind === 'device' ? ref.name : undefined;
}

/** Mail from the outside world: Sun or a partner. */
export function isExternal(id: string): boolean {
  return id === 'sun' || partnerNameOf(id) !== undefined;
}
