import type { ExchangeOnline, Hop, MessageFlag, MessagePath } from '../../contract/message';
import type { Flow, Plan, PlannedConnector, Profile } from '../../contract/planner';
import { domainMatches, norm, rangeCovered } from '../../planner/net';
import { isMicrosoftHost } from './received';

/**
 * The message as one path across the John/Bob/Sun diagram: which actor sent
 * it and which received it (recognised by the profile's IPs, host names and
 * domains), the planner's flow between them, the connector the headers say
 * it used and the one the plan says it should have used; and flags where
 * the two differ. The rules are the planner's (its flows and connectors);
 * nothing here re-derives which connector a flow needs.
 */
export interface PathInput {
  readonly hops: readonly Hop[];
  readonly exchange: ExchangeOnline;
  readonly from?: string;
  readonly to: readonly string[];
}

const domainOf = (address: string | undefined): string | undefined => address?.split('@').pop()?.replace(/>$/, '').toLowerCase() || undefined;

/** Is the host one of the profile's own servers (by host name or server name), or a non-Microsoft host under one of its accepted domains? */
export function ownServerMatcher(profile: Profile | undefined): (host: string) => boolean {
  if (!profile) return () => false;
  const names = new Set(profile.ownServers.flatMap((s) => [s.name, ...s.hostNames]).map(norm));
  const domains = profile.ownServers.length > 0 ? profile.acceptedDomains.filter((d) => d !== '*') : [];
  return (host) => {
    const h = norm(host);
    return names.has(h) || (!isMicrosoftHost(h) && domains.some((d) => h !== norm(d) && domainMatches(`*.${norm(d).replace(/^\*\./, '')}`, h)));
  };
}

interface Ends {
  readonly from: string;
  readonly to: string;
  readonly evidence: string[];
}

function recogniseEnds(input: PathInput, profile: Profile): Ends {
  const evidence: string[] = [];
  const ownIps = profile.ownServers.flatMap((s) => s.publicIps);
  const cip = input.exchange.antispam['CIP'];
  const entry = input.hops.find((h) => h.zone === 'microsoft' && !isMicrosoftHost(h.from));
  const connectingIp = cip ?? entry?.fromIp;
  const isOwn = ownServerMatcher(profile);
  const firstMicrosoft = input.hops.findIndex((h) => h.zone === 'microsoft');
  const beforeMicrosoft = firstMicrosoft >= 0 ? input.hops.slice(0, firstMicrosoft) : input.hops;
  const senderDomain = domainOf(input.from);

  let from: string | undefined;
  if (connectingIp && ownIps.length > 0 && rangeCovered(connectingIp, ownIps)) {
    from = 'john';
    evidence.push(`Sender: the connecting IP ${connectingIp} is a public IP of your own server.`);
  } else if (beforeMicrosoft.some((h) => h.zone === 'own-server' || (h.from !== undefined && isOwn(h.from)))) {
    from = 'john';
    evidence.push('Sender: the first hops are on your own mail server.');
  } else {
    const device = profile.devices.find((d) => d.staticPublicIp && input.hops.some((h) => h.fromIp === d.staticPublicIp || connectingIp === d.staticPublicIp));
    if (device) {
      from = `device:${device.name}`;
      evidence.push(`Sender: ${device.staticPublicIp} is the static IP of the device "${device.name}".`);
    }
  }
  if (!from && senderDomain) {
    const partner = profile.partners.find((p) => p.domains.some((d) => domainMatches(d, senderDomain)));
    if (partner) {
      from = `partner:${partner.name}`;
      evidence.push(`Sender: ${senderDomain} is a domain of the partner ${partner.name}.`);
    } else if (profile.acceptedDomains.some((d) => domainMatches(d, senderDomain))) {
      const cloud = input.hops[0]?.zone === 'microsoft' || input.exchange.crossTenant['fromentityheader']?.toLowerCase() === 'hosted';
      from = cloud ? 'bob' : profile.ownServers.length > 0 && input.exchange.attribution.kind === 'own-server-connector' ? 'john' : 'sun';
      evidence.push(cloud ? `Sender: ${senderDomain} is your accepted domain and the message started inside Exchange Online.` : from === 'john' ? `Sender: ${senderDomain} is your accepted domain and it came through your own server's connector.` : `Sender: ${senderDomain} is your accepted domain, but the message came from outside.`);
    }
  }
  if (!from) {
    from = 'sun';
    evidence.push(`Sender: ${senderDomain ?? 'the sender'} is neither yours nor a partner's: someone on the Internet.`);
  }

  const last = input.hops.at(-1);
  const recipient = last?.for ?? input.to[0];
  const recipientDomain = domainOf(recipient);
  let to = 'sun';
  if (recipientDomain) {
    const partner = profile.partners.find((p) => p.domains.some((d) => domainMatches(d, recipientDomain)));
    if (partner) {
      to = `partner:${partner.name}`;
      evidence.push(`Recipient: ${recipientDomain} is a domain of the partner ${partner.name}.`);
    } else if (profile.acceptedDomains.some((d) => domainMatches(d, recipientDomain))) {
      const onOwn = last?.zone === 'own-server' || (last?.by !== undefined && isOwn(last.by)) || (last?.zone !== 'microsoft' && profile.mailboxes === 'all-own-servers');
      to = onOwn ? 'john' : 'bob';
      evidence.push(onOwn ? `Recipient: ${recipientDomain} is yours and the last hop is your own server.` : `Recipient: ${recipientDomain} is yours and the message was delivered inside Exchange Online.`);
    } else {
      evidence.push(`Recipient: ${recipientDomain} is neither yours nor a partner's: someone on the Internet.`);
    }
  }
  return { from, to, evidence };
}

/** The planner's words for a flow's steps, back to actor ids (see planner/flows.ts). */
function stepActor(word: string, profile: Profile): string {
  if (word.startsWith("John's")) return 'john';
  if (word.startsWith("Bob's")) return 'bob';
  if (word === 'Your email server') return 'own-server';
  if (word === 'Office 365') return 'office365';
  if (word === 'Internet') return 'internet';
  if (word.startsWith('Sun')) return 'sun';
  const partner = /^(.*) \(partner\)$/.exec(word)?.[1];
  if (partner && profile.partners.some((p) => p.name === partner)) return `partner:${partner}`;
  const device = /^(.*) \(device\)$/.exec(word)?.[1];
  if (device) return `device:${device}`;
  return word;
}

const STEP_LABELS: Readonly<Record<string, string>> = { john: 'John (your server’s mailbox)', bob: 'Bob (Exchange Online mailbox)', sun: 'Sun (Internet)', 'own-server': 'Your email server', office365: 'Office 365', internet: 'Internet' };
const stepLabel = (actor: string): string => STEP_LABELS[actor] ?? actor.replace(/^(partner|device):(.*)$/, (_m, kind: string, name: string) => `${name} (${kind})`);

export function mapPath(input: PathInput, profile: Profile, plan: Plan | undefined): { readonly path: MessagePath; readonly flags: MessageFlag[] } {
  const ends = recogniseEnds(input, profile);
  const flow: Flow | undefined = plan?.flows.find((f) => f.from === ends.from && f.to === ends.to);
  const actors = flow ? flow.path.map((w) => stepActor(w, profile)) : defaultSteps(ends, input.hops);
  const firstMicrosoft = input.hops.findIndex((h) => h.zone === 'microsoft');
  const hopsOf = new Map<string, number[]>(actors.map((a) => [a, []]));
  for (const [i, hop] of input.hops.entries()) {
    const target =
      hop.zone === 'microsoft' && hopsOf.has('office365') ? 'office365'
        : hop.zone === 'own-server' && hopsOf.has('own-server') ? 'own-server'
          : firstMicrosoft < 0 || i < firstMicrosoft ? actors[0] : actors.at(-1);
    if (target) hopsOf.get(target)?.push(hop.index);
  }
  const connectors = (plan?.connectors ?? []).filter((c) => flow?.connectors.includes(c.id));
  const path: MessagePath = {
    from: ends.from,
    to: ends.to,
    steps: actors.map((actor) => ({ actor, label: stepLabel(actor), hops: hopsOf.get(actor) ?? [] })),
    ...(flow ? { flow: { from: flow.from, to: flow.to, status: flow.status } } : {}),
    ...connectorUsed(input.exchange, plan, ends.from),
    connectorExpected: connectors.map((c) => c.name),
    evidence: ends.evidence,
  };
  return { path, flags: compare(input, connectors, ends) };
}

function defaultSteps(ends: Ends, hops: readonly Hop[]): string[] {
  const steps = [ends.from];
  if (ends.from !== 'john' && hops.some((h) => h.zone === 'own-server')) steps.push('own-server');
  if (hops.some((h) => h.zone === 'microsoft')) steps.push('office365');
  if (ends.to !== ends.from) steps.push(ends.to);
  return steps;
}

function connectorUsed(exchange: ExchangeOnline, plan: Plan | undefined, from: string): { connectorUsed?: string } {
  const planned = (end: string) => plan?.connectors.find((c) => c.from === end && c.to === 'office365')?.name;
  switch (exchange.attribution.kind) {
    case 'own-server-connector': {
      const name = planned('own-server');
      return { connectorUsed: `An inbound connector of type OnPremises (from your own server)${name ? `; in the plan: "${name}"` : ''}` };
    }
    case 'partner-connector': {
      const name = from.startsWith('partner:') ? planned(from) : undefined;
      return { connectorUsed: `An inbound connector of type Partner${name ? `; in the plan: "${name}"` : ''}` };
    }
    case 'anonymous':
      return { connectorUsed: 'None: it arrived anonymously (the default path from the Internet)' };
    case 'internal':
      return { connectorUsed: 'None needed: it stayed inside Exchange Online' };
    default:
      return {};
  }
}

/** The first hop into Microsoft from outside, and the first hop out of it. */
export function boundaryHops(hops: readonly Hop[]): { readonly entry?: Hop; readonly exit?: Hop } {
  const entry = hops.find((h) => h.zone === 'microsoft' && !isMicrosoftHost(h.from));
  const lastMicrosoft = hops.map((h) => h.zone).lastIndexOf('microsoft');
  const exit = lastMicrosoft >= 0 ? hops.slice(lastMicrosoft + 1).find((h) => isMicrosoftHost(h.from) && h.zone !== 'microsoft') : undefined;
  return { ...(entry ? { entry } : {}), ...(exit ? { exit } : {}) };
}

function requiresTls(c: PlannedConnector): boolean {
  return c.parameters['RequireTls'] === true || (typeof c.parameters['TlsSettings'] === 'string' && c.parameters['TlsSettings'] !== '');
}

function compare(input: PathInput, connectors: readonly PlannedConnector[], ends: Ends): MessageFlag[] {
  const flags: MessageFlag[] = [];
  const inbound = connectors.filter((c) => c.to === 'office365');
  const outbound = connectors.filter((c) => c.from === 'office365');
  const kind = input.exchange.attribution.kind;
  const ownIn = inbound.find((c) => c.from === 'own-server');
  const cip = input.exchange.antispam['CIP'];
  if (ownIn && kind === 'anonymous') {
    flags.push({
      severity: 'fail',
      code: 'ARRIVED_ANONYMOUSLY',
      message: `Arrived anonymously where the inbound connector "${ownIn.name}" from your own server was expected: Exchange Online did not attribute it to your organisation, so it was filtered as Internet mail. This is the classic cause of on-premises mail landing in Junk, or of 5.7.64 / ATTR36 when relaying to the Internet.`,
      fix: `Make the connector match what the server presents: TlsSenderCertificateName = the name on the certificate it sends with, or SenderIPAddresses including ${cip ?? 'its public IP'}; and make the server send to your MX host over TLS.`,
    });
  }
  const partnerIn = inbound.find((c) => c.from.startsWith('partner:'));
  if (partnerIn && kind === 'anonymous' && requiresTls(partnerIn)) {
    flags.push({ severity: 'warn', code: 'PARTNER_CONNECTOR_NOT_APPLIED', message: `Exchange Online recorded the message as anonymous, not through the partner connector "${partnerIn.name}".`, fix: 'Check the connector’s SenderDomains, and its certificate or IP restrictions, against the partner’s sending servers.' });
  }
  const { entry, exit } = boundaryHops(input.hops);
  const strictIn = inbound.find(requiresTls);
  if (strictIn && entry && entry.encryption.state === 'none') {
    flags.push({ severity: 'fail', code: 'HOP_WITHOUT_TLS', message: `Hop ${entry.index} (${entry.from ?? '?'} → ${entry.by ?? '?'}) was not encrypted, but the connector "${strictIn.name}" requires TLS.`, fix: 'Enable STARTTLS with a CA-issued certificate on the sending server (and TLS on its send connector).' });
  }
  const strictOut = outbound.find(requiresTls);
  if (strictOut && exit && exit.encryption.state === 'none') {
    flags.push({ severity: 'fail', code: 'HOP_WITHOUT_TLS', message: `Hop ${exit.index} (${exit.from ?? '?'} → ${exit.by ?? '?'}) left Office 365 without TLS, but the connector "${strictOut.name}" requires TLS.`, fix: 'Check the outbound connector’s TlsSettings and the receiving server’s STARTTLS and certificate.' });
  }
  if (inbound.length === 0 && kind === 'own-server-connector' && ends.from !== 'john') {
    flags.push({ severity: 'info', code: 'CONNECTOR_NOT_IN_PLAN', message: 'Exchange Online attributed the message to an OnPremises connector, but the plan expects none on this path.' });
  }
  return flags;
}
