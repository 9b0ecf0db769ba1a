import type { DeviceRecommendation, ExistingConnector, Flow, FlowStatus, Gap, Profile, TlsObservation } from '../contract/planner';
import type { DraftConnector, Situation } from './rules';
import { norm } from './net';
import { actorId, deviceActor, isExternal, parseActorId, partnerActor, partnerNameOf } from '../contract/actors';
import { optionLabel } from './rules';

/**
 * Every directed mail flow between John (a mailbox on your own server), Bob
 * (a mailbox in Exchange Online), Sun (someone on the Internet), each partner
 * and each device (devices only send), with the hops, the connectors it needs
 * and its status (see FlowStatusSchema for the exact meaning of each status).
 */
interface Route {
  readonly path: string[];
  readonly connectors: string[];
  readonly notPossible?: string;
  readonly note?: string;
  /** Targets of TlsObservation that sit on this route. */
  readonly hops: string[];
}

export interface FlowInput {
  readonly profile: Profile;
  readonly situation: Situation;
  readonly connectors: readonly DraftConnector[];
  readonly devices: readonly DeviceRecommendation[];
  readonly imported: boolean;
  readonly matches: ReadonlyMap<string, ExistingConnector>;
  readonly gaps: readonly Gap[];
  readonly observations: readonly TlsObservation[];
}

export function buildFlows(input: FlowInput): Flow[] {
  const { profile, situation, connectors } = input;
  const ids = (kind: DraftConnector['kind'], ref?: string) => connectors.filter((c) => c.kind === kind && (ref === undefined || c.ref === ref)).map((c) => c.id);
  const ownIn = ids('own-in');
  const ownOut = ids('own-out');
  /** Connectors to your servers with RouteAllMessagesViaOnPremises: Exchange Online's outbound mail goes through them. */
  const central = connectors.filter((c) => c.kind === 'own-out' && c.spec.direction === 'outbound' && c.spec.routeAllMessagesViaOnPremises).map((c) => c.id);
  const gateway = connectors.find((c) => c.kind === 'gateway-out');
  const mx = situation.mxOffice365;
  const JOHN = "John's mailbox (your server)";
  const SERVER = 'Your email server';
  const O365 = 'Office 365';
  const BOB = "Bob's mailbox (Exchange Online)";
  const NET = 'Internet';
  const SUN = 'Sun (Internet)';

  const actors: string[] = [];
  if (situation.hasJohn) actors.push('john');
  if (situation.hasBob) actors.push('bob');
  actors.push('sun');
  for (const p of profile.partners) actors.push(actorId(partnerActor(p.name)));

  const partnerName = (a: string) => partnerNameOf(a) ?? '';
  const pin = (a: string) => ids('partner-in', partnerName(a));
  const pout = (a: string) => ids('partner-out', partnerName(a));
  const label = (a: string) => (a === 'john' ? JOHN : a === 'bob' ? BOB : a === 'sun' ? SUN : `${partnerName(a)} (partner)`);
  /**
   * A TLS observation is a probe of the partner's RECEIVING server, so it
   * applies to mail to the partner. Mail from the partner meets it only when
   * Office 365 checks the certificate the partner sends with (RequireTls
   * alone accepts any certificate, and their sending hosts may differ).
   */
  /**
   * How mail leaves Office 365 for an outsider: the partner's own outbound
   * connector when there is one (the more specific address space wins),
   * else the outbound gateway for "*" when there is one, else directly.
   */
  const outward = (to: string): { path: string[]; connectors: string[]; hops: string[] } => {
    const partnerOut = partnerNameOf(to) !== undefined ? pout(to) : [];
    if (partnerOut.length > 0) return { path: [NET, label(to)], connectors: partnerOut, hops: [to] };
    if (gateway) return { path: [`${gateway.ref} (gateway)`, NET, label(to)], connectors: [gateway.id], hops: [] };
    return { path: [NET, label(to)], connectors: [], hops: partnerNameOf(to) !== undefined ? [to] : [] };
  };
  const senderHops = (a: string): string[] => (profile.partners.find((p) => p.name === partnerName(a))?.senderCertificateName ? [a] : []);

  /** Route between two actors that are not devices. */
  const route = (from: string, to: string): Route => {
    const fromPartner = partnerNameOf(from) !== undefined;
    if (from === 'john' && to === 'bob') return { path: [JOHN, SERVER, O365, BOB], connectors: ownIn, hops: ['own-server'] };
    if (from === 'bob' && to === 'john') return { path: [BOB, O365, SERVER, JOHN], connectors: ownOut, hops: ['own-server'] };
    if (from === 'john') {
      // john → sun or partner
      if (!mx) return { path: [JOHN, SERVER, NET, label(to)], connectors: [], hops: [], note: 'With the MX on your own server, the plan assumes your server sends Internet mail directly, not through Office 365.' };
      const out = outward(to);
      return { path: [JOHN, SERVER, O365, ...out.path], connectors: [...ownIn, ...out.connectors], hops: ['own-server', ...out.hops], note: 'All Internet email is delivered via Office 365.' };
    }
    if (to === 'john') {
      if (!mx) return { path: [label(from), NET, SERVER, JOHN], connectors: [], hops: [], note: 'Your MX points to your own server, so this mail does not pass through Office 365.' };
      return { path: [label(from), NET, O365, SERVER, JOHN], connectors: [...(fromPartner ? pin(from) : []), ...ownOut], hops: [...(fromPartner ? senderHops(from) : []), 'own-server'], note: 'All Internet email is delivered via Office 365.' };
    }
    if (from === 'bob') {
      const out = outward(to);
      if (central.length > 0) {
        // Centralised mail transport: out through your server, then as your server's own mail leaves.
        const back = mx ? { path: [O365, ...out.path], connectors: [...ownIn, ...out.connectors], hops: out.hops } : { path: [NET, label(to)], connectors: [], hops: [] };
        return { path: [BOB, O365, SERVER, ...back.path], connectors: [...central, ...back.connectors], hops: ['own-server', ...back.hops], note: 'Centralised mail transport: Exchange Online sends this mail through your own server (RouteAllMessagesViaOnPremises).' };
      }
      return { path: [BOB, O365, ...out.path], connectors: out.connectors, hops: out.hops };
    }
    // to bob from sun or a partner
    if (!mx && situation.hasJohn) return { path: [label(from), NET, SERVER, O365, BOB], connectors: ownIn, hops: ['own-server'], note: 'Your MX points to your own server, which passes the mail on to Office 365.' };
    return { path: [label(from), NET, O365, BOB], connectors: fromPartner ? pin(from) : [], hops: fromPartner ? senderHops(from) : [] };
  };

  const flows: Flow[] = [];
  // Mail between two outsiders (Sun, partners) never touches the organisation: no flow of this plan.
  for (const from of actors) for (const to of actors) if (from !== to && !(isExternal(from) && isExternal(to))) flows.push(finish(input, from, to, route(from, to)));

  for (const device of profile.devices) {
    const rec = input.devices.find((d) => d.device === device.name);
    if (!rec) continue;
    const actor = actorId(deviceActor(device.name));
    const din = ids('device-in', device.name);
    const DEV = `${device.name} (device)`;
    for (const to of actors) {
      const internal = to === 'john' || to === 'bob';
      const out = internal ? undefined : outward(to);
      const tail = to === 'john' ? [SERVER, JOHN] : to === 'bob' ? [BOB] : out!.path;
      const onward = to === 'john' ? ownOut : to === 'bob' ? [] : out!.connectors;
      const onwardHops = to === 'john' ? ['own-server'] : to === 'bob' ? [] : out!.hops;
      let r: Route;
      if (rec.option === 'smtp-auth') {
        r = { path: [DEV, 'smtp.office365.com:587', O365, ...tail], connectors: onward, hops: onwardHops, note: `${optionLabel(rec.option)}: no connector for the device itself.` };
      } else if (rec.option === 'direct-send' || (rec.option === 'smtp-relay' && !rec.feasible)) {
        const how = rec.option === 'direct-send' ? 'Direct send' : 'Without a static IP or certificate the device can only use direct send, which';
        r = internal
          ? { path: [DEV, 'MX host:25', O365, ...tail], connectors: onward, hops: onwardHops, note: 'Direct send to your own domains needs no connector for the device.' }
          : { path: [DEV, 'MX host:25', O365], connectors: [], hops: [], notPossible: `${how} reaches only recipients in your own domains; ${label(to)} is outside.` };
      } else {
        r = { path: [DEV, 'MX host:25', O365, ...tail], connectors: [...din, ...onward], hops: onwardHops, note: `${optionLabel(rec.option)}.` };
      }
      flows.push(finish(input, actor, to, r));
    }
  }
  return flows;
}

function finish(input: FlowInput, from: string, to: string, r: Route): Flow {
  const evidence: string[] = [];
  const byId = new Map(input.connectors.map((c) => [c.id, c]));
  const failing = failingObservations(input, r.hops);
  let status: FlowStatus;
  let explanation: string;
  let fix: string | undefined;
  const names = r.connectors.map((id) => byId.get(id)?.name ?? id);
  if (r.notPossible) {
    status = 'not-possible';
    explanation = r.notPossible;
    fix = 'Use SMTP AUTH client submission, or SMTP relay through a connector (needs a static IP or certificate).';
  } else if (r.connectors.length === 0) {
    status = 'no-connector-needed';
    explanation = r.note ?? 'Office 365 handles this mail without any connector.';
  } else {
    const wizard = r.connectors.some((id) => byId.get(id)?.createdBy === 'hybrid-wizard');
    const unbuildable = r.connectors.filter((id) => (byId.get(id)?.problems.length ?? 0) > 0);
    if (!input.imported) {
      status = wizard ? 'not-checked' : 'connector-missing';
      explanation = wizard
        ? `Needs ${names.join(' and ')}, made by the Hybrid Configuration Wizard; import your existing connectors to check them.`
        : `Needs ${names.join(' and ')}; planned, not yet shown to exist (import your existing connectors to check).`;
      fix = wizard ? 'Export Get-InboundConnector and Get-OutboundConnector (ConvertTo-Json) and import both files.' : 'Create the connectors with the PowerShell in this plan.';
    } else {
      const missing = r.connectors.filter((id) => {
        const e = input.matches.get(id);
        if (!e || !e.enabled) return true;
        return input.gaps.some((g) => g.severity === 'fail' && g.subject === e.name);
      });
      if (missing.length === 0 && unbuildable.length === 0) {
        status = 'covered';
        explanation = `Carried by ${r.connectors.map((id) => `"${input.matches.get(id)?.name ?? id}"`).join(' and ')}.`;
      } else {
        status = 'connector-missing';
        explanation = `Needs ${missing.map((id) => byId.get(id)?.name ?? id).join(' and ')}, which ${missing.length === 1 ? 'is' : 'are'} missing, disabled or wrong (see the gaps).`;
        fix = 'Fix the gaps listed for these connectors.';
      }
    }
    if (r.note) explanation += ` ${r.note}`;
    for (const id of r.connectors) {
      const e = input.matches.get(id);
      if (e) evidence.push(`${id} → existing "${e.name}" (${e.source})`);
    }
  }
  if (failing.length > 0 && status !== 'not-possible') {
    explanation = `TLS to ${failing.map((o) => targetName(o.target)).join(', ')} fails: ${failing.map((o) => o.message.replace(/[.\s]+$/, '')).join('; ')}. ${explanation}`;
    status = 'tls-failing';
    fix = 'Fix the certificate or TLS set-up on that server (see the SMTP/TLS diagnosis).';
    evidence.push(...failing.map((o) => `${targetName(o.target)}: ${o.code ? `${o.code} ` : ''}${o.message}`));
  }
  return { from, to, path: r.path, connectors: r.connectors, status, explanation, ...(fix ? { fix } : {}), evidence };
}

/** Observations with ok=false whose target is one of the route's hops (by actor id or host name). */
/** An observation's target in words: `partner:ContosoBank` is "ContosoBank", `own-server` "your own server". */
function targetName(target: string): string {
  if (target === 'own-server') return 'your own server';
  const ref = parseActorId(target);
  return ref?.name ?? target;
}

function failingObservations(input: FlowInput, hops: readonly string[]): TlsObservation[] {
  if (hops.length === 0) return [];
  const hostsOf = (hop: string): string[] => {
    if (hop === 'own-server') return input.profile.ownServers.flatMap((s) => [s.name, ...s.hostNames]);
    const p = input.profile.partners.find((x) => x.name === partnerNameOf(hop));
    return p ? [...p.smartHosts, ...p.domains] : [];
  };
  return input.observations.filter((o) => !o.ok && hops.some((hop) => norm(o.target) === norm(hop) || hostsOf(hop).some((h) => norm(h) === norm(o.target))));
}
