import type { ExistingConnector, ExistingInbound, ExistingOutbound, Gap, Profile } from '../contract/planner';
import type { DraftConnector } from './rules';
import { certificateNotAccepted } from './rules';
import { certificateNameMatches, domainIndex, norm, parentName, rangeCovered, rangesOverlap } from './net';
import { psQuote } from './powershell';
import { tlsSettingsText, tlsStrength } from './connector';

/**
 * Compares the planned connectors with the imported ones: which planned
 * connector each existing one fulfils, why, and what is wrong with it
 * (issue 4, "Existing connectors: import and gaps"; issue 15, exact matching).
 *
 * A planned connector is matched to an existing one only when the existing
 * one serves the same purpose: same direction and type, and evidence that it
 * is for the same server, partner or device (its certificate name, its IP
 * addresses, the partner's own domains, the server as smart host, or the
 * plan's own name for it). A connector for everything (`*`) is not evidence
 * that it is for one partner. Connectors that match nothing are "not part of
 * this plan": the plan leaves them alone and never proposes removing them.
 */
export interface GapResult {
  /** Planned id → the existing connector that fulfils it. */
  readonly matches: ReadonlyMap<string, ExistingConnector>;
  /** Planned id → "matched because …". */
  readonly because: ReadonlyMap<string, string>;
  readonly gaps: Gap[];
}

/** One candidate for a planned connector: how strongly it fits and why. */
export interface MatchCandidate {
  readonly existing: ExistingConnector;
  readonly score: number;
  readonly reasons: readonly string[];
}

const HCW_NAME = /^(Inbound from|Outbound to) [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isHybrid = (c: ExistingConnector) => c.connectorSource === 'HybridWizard' || HCW_NAME.test(c.name);
const shortList = (items: readonly string[], max = 5) => (items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', '));

/**
 * How well an existing connector serves the purpose of a planned one, with
 * the reasons in words; undefined when it does not serve it at all.
 */
export function matchCandidate(planned: DraftConnector, existing: ExistingConnector, profile: Profile): MatchCandidate | undefined {
  const spec = planned.spec;
  if (existing.direction !== spec.direction || existing.connectorType !== spec.type) return undefined;
  const reasons: string[] = [];
  let score = 0;
  const add = (points: number, reason: string) => { score += points; reasons.push(reason); };
  if (norm(existing.name) === norm(planned.name)) add(30, 'it has the name this plan gives it');
  const server = planned.serves.kind === 'own-server' ? profile.ownServers.find((s) => s.name === planned.serves.name) : undefined;

  if (planned.createdBy === 'hybrid-wizard') {
    if (existing.connectorSource === 'HybridWizard') add(50, 'the Hybrid Configuration Wizard made it (ConnectorSource HybridWizard)');
    else if (HCW_NAME.test(existing.name)) add(40, 'its name is the one the Hybrid Configuration Wizard gives');
    else if (existing.cloudServicesMailEnabled) add(20, 'it carries hybrid mail (CloudServicesMailEnabled)');
  }

  if (spec.direction === 'inbound' && existing.direction === 'inbound') {
    const e = existing;
    const wantIps = server ? server.publicIps : spec.senderIpAddresses;
    if (spec.senderCertificateName && e.tlsSenderCertificateName && certificateNameMatches(e.tlsSenderCertificateName, spec.senderCertificateName)) {
      add(40, `its TlsSenderCertificateName ${e.tlsSenderCertificateName} fits ${planned.ref}'s certificate ${spec.senderCertificateName}`);
    }
    if (wantIps.length > 0 && e.senderIpAddresses.length > 0) {
      if (wantIps.every((ip) => rangeCovered(ip, e.senderIpAddresses))) add(40, `its SenderIPAddresses cover ${planned.ref}'s ${shortList(wantIps)}`);
      else if (rangesOverlap(wantIps, e.senderIpAddresses)) add(20, `its SenderIPAddresses include some of ${planned.ref}'s ${shortList(wantIps)}`);
    }
    if (planned.kind === 'partner-in') {
      const theirs = domainIndex(e.senderDomains);
      const shared = spec.senderDomains.filter((d) => theirs.coversSpecifically(d));
      if (shared.length > 0) add(40, `its SenderDomains name ${planned.ref}'s ${shortList(shared)}`);
    }
  } else if (spec.direction === 'outbound' && existing.direction === 'outbound') {
    const e = existing;
    const hosts = new Set((server ? [...server.hostNames, ...server.publicIps] : spec.smartHosts).map(norm));
    const sharedHosts = e.smartHosts.filter((h) => hosts.has(norm(h)));
    if (sharedHosts.length > 0) add(40, `it delivers to ${planned.ref}'s ${shortList(sharedHosts)}`);
    const theirs = domainIndex(e.recipientDomains);
    const shared = spec.recipientDomains.filter((d) => theirs.coversSpecifically(d));
    if (shared.length > 0) add(planned.kind === 'partner-out' ? 40 : 20, `its RecipientDomains name ${shortList(shared)}`);
    if (planned.kind === 'gateway-out' && theirs.everything) add(20, 'its RecipientDomains is "*" (all outbound mail)');
  }
  if (score === 0) return undefined;
  // Ties go to the connector that is on and carrying real mail.
  if (existing.enabled) score += 1;
  if (!(existing.direction === 'outbound' && (existing.testMode || existing.isTransportRuleScoped))) score += 1;
  return { existing, score, reasons };
}

/** Every existing connector that serves the planned one's purpose, best first. */
export function matchCandidates(planned: DraftConnector, existing: readonly ExistingConnector[], profile: Profile): MatchCandidate[] {
  return existing
    .map((e) => matchCandidate(planned, e, profile))
    .filter((c): c is MatchCandidate => c !== undefined)
    .sort((a, b) => b.score - a.score);
}

export function analyseGaps(profile: Profile, planned: readonly DraftConnector[], existing: readonly ExistingConnector[]): GapResult {
  const gaps: Gap[] = [];
  const matches = new Map<string, ExistingConnector>();
  const because = new Map<string, string>();
  const used = new Set<ExistingConnector>();

  for (const p of planned) {
    const [best, ...others] = matchCandidates(p, existing, profile);
    if (!best) {
      gaps.push({
        code: 'CONNECTOR_MISSING', severity: p.optional ? 'warn' : 'fail', subject: p.id,
        message: `No existing connector serves "${p.name}" (${p.fromToText}).`,
        fix: p.createdBy === 'hybrid-wizard' ? 'Run the Hybrid Configuration Wizard again; it recreates its connectors.' : 'Create it with the PowerShell in this plan.',
      });
      continue;
    }
    matches.set(p.id, best.existing);
    because.set(p.id, `matched because ${best.reasons.join('; ')}` + (others.length > 0 ? ` (also considered: ${others.slice(0, 3).map((o) => `"${o.existing.name}"`).join(', ')})` : ''));
    used.add(best.existing);
    gaps.push(...checkMatched(profile, p, best.existing));
  }

  gaps.push(...checkSmartHosts(profile, planned, matches));
  gaps.push(...checkCertificateNamesAccepted(profile, [...used]));
  gaps.push(...checkOverlaps(existing));
  gaps.push(...checkSameAddressSpace(existing));
  for (const e of existing) {
    if (isHybrid(e)) gaps.push(...checkHybridEdited(e));
    if (!used.has(e)) gaps.push(notInPlan(e));
    for (const note of e.importNotes) gaps.push({ code: 'IMPORT_ASSUMPTION', severity: 'info', subject: e.name, message: note, fix: 'Re-export with PowerShell 7 (enums as names) if this reading looks wrong.' });
  }
  return { matches, because, gaps };
}

/**
 * A connector the plan has no use for is not a failure of the plan: it may
 * serve something the profile does not describe (a signature service, a
 * filtering gateway, mail flow rules). The plan never proposes removing it.
 */
function notInPlan(e: ExistingConnector): Gap {
  const traits = [e.direction, e.connectorType, ...(e.enabled ? [] : ['disabled'])];
  const ruleScoped = e.direction === 'outbound' && e.isTransportRuleScoped;
  return {
    code: 'CONNECTOR_NOT_IN_PLAN', severity: 'info', subject: e.name,
    message: ruleScoped
      ? `"${e.name}" (${traits.join(', ')}) is used by mail flow rules that route mail to it (IsTransportRuleScoped); it is not part of this plan, which leaves it as it is.`
      : `"${e.name}" (${traits.join(', ')}) is not part of this plan: it serves no server, partner or device the profile describes, so the plan leaves it as it is.`,
    fix: ruleScoped
      ? 'Nothing to do for this plan; the mail flow rules that use it decide what it carries.'
      : 'Nothing to do for this plan. If it serves one of your servers, partners or devices, add that to the profile so the plan can check it.',
  };
}

function checkMatched(profile: Profile, p: DraftConnector, e: ExistingConnector): Gap[] {
  const gaps: Gap[] = [];
  const g = (code: string, severity: Gap['severity'], message: string, fix: string) => gaps.push({ code, severity, subject: e.name, message, fix });
  const set = `Set-${e.direction === 'inbound' ? 'Inbound' : 'Outbound'}Connector -Identity ${psQuote(e.name)}`;
  if (!e.enabled) g('CONNECTOR_DISABLED', 'fail', `"${e.name}" would carry "${p.name}" but is disabled.`, `Enable it: ${set} -Enabled $true`);
  const partner = p.serves.kind === 'partner' ? profile.partners.find((x) => x.name === p.serves.name) : undefined;
  const spec = p.spec;
  if (spec.direction === 'inbound' && e.direction === 'inbound') {
    if (spec.type === 'Partner' && spec.requireTls && !e.requireTls) {
      g('PARTNER_TLS_NOT_REQUIRED', 'fail', `"${e.name}" accepts mail from ${p.ref} without TLS, but TLS is required${partner?.requireTlsInbound === false ? ' (its mail is restricted to a certificate, which only TLS carries)' : ''}.`, `${set} -RequireTls $true`);
    }
    const want = spec.senderCertificateName;
    if (want && e.tlsSenderCertificateName && !certificateNameMatches(e.tlsSenderCertificateName, want)) {
      g('CERTIFICATE_NAME_MISMATCH', 'fail', `"${e.name}" expects the sender certificate ${e.tlsSenderCertificateName}, but ${p.ref} sends with ${want}.`, `Set TlsSenderCertificateName to ${want} (otherwise mail is rejected: 550 5.7.64 TenantAttribution / 5.7.51).`);
    }
    if (spec.type === 'Partner' && spec.restrictDomainsToCertificate && !e.restrictDomainsToCertificate) {
      g('PARTNER_NOT_RESTRICTED', 'warn', `"${e.name}" does not restrict ${p.ref}'s mail to its certificate.`, 'Set RestrictDomainsToCertificate $true with TlsSenderCertificateName.');
    } else if (spec.type === 'Partner' && spec.restrictDomainsToIpAddresses && !e.restrictDomainsToIpAddresses) {
      g('PARTNER_NOT_RESTRICTED', 'warn', `"${e.name}" does not restrict ${p.ref}'s mail to its IP ranges.`, 'Set RestrictDomainsToIPAddresses $true with SenderIPAddresses.');
    }
  } else if (spec.direction === 'outbound' && e.direction === 'outbound') {
    const planned = spec.tlsSettings;
    if (planned !== undefined && tlsStrength(e.tlsSettings) < tlsStrength(planned)) {
      const code = e.tlsSettings === undefined && spec.type === 'Partner' ? 'PARTNER_TLS_NOT_REQUIRED' : spec.type === 'Partner' ? 'PARTNER_TLS_WEAKER' : 'TLS_WEAKER_THAN_PLANNED';
      g(code, 'fail', `"${e.name}" sends to ${p.ref} with ${tlsSettingsText(e.tlsSettings)}, weaker than the planned ${tlsSettingsText(planned)}; mail it carries is not protected as planned.`,
        `${set} -TlsSettings ${planned}${spec.tlsDomain ? ` -TlsDomain ${psQuote(spec.tlsDomain)}` : ''}`);
    } else if (planned === 'DomainValidation' && spec.tlsDomain && e.tlsSettings === 'DomainValidation' && !e.tlsDomain) {
      g('TLS_DOMAIN_MISSING', 'fail', `"${e.name}" uses DomainValidation without a TlsDomain, so it does not check for ${spec.tlsDomain}.`, `${set} -TlsDomain ${psQuote(spec.tlsDomain)}`);
    }
    if (spec.tlsDomain && e.tlsDomain && !certificateNameMatches(e.tlsDomain, spec.tlsDomain)) {
      g('CERTIFICATE_NAME_MISMATCH', 'fail', `"${e.name}" expects the certificate ${e.tlsDomain} (TlsDomain), but ${p.ref}'s certificate is ${spec.tlsDomain}.`, `Set TlsDomain to ${spec.tlsDomain} (otherwise delivery fails: 450 4.4.317 SubjectMismatch / 4.7.320).`);
    }
    if (e.testMode) g('CONNECTOR_TEST_MODE', 'fail', `"${e.name}" is in test mode, so it does not carry ${p.ref}'s mail yet.`, `Turn test mode off when testing is done: ${set} -TestMode $false`);
    if (e.isTransportRuleScoped) g('CONNECTOR_RULE_SCOPED', 'warn', `"${e.name}" carries only mail that a mail flow rule routes to it (IsTransportRuleScoped), not all mail for ${shortList(spec.recipientDomains)}.`, 'Make sure a mail flow rule routes this mail to it, or create the planned connector for the domains.');
    if (spec.routeAllMessagesViaOnPremises && !e.routeAllMessagesViaOnPremises) {
      g('CENTRALIZED_TRANSPORT_OFF', 'fail', `"${e.name}" does not route all mail through ${p.ref} (RouteAllMessagesViaOnPremises is off), but the profile says mail is routed centrally.`, `${set} -RouteAllMessagesViaOnPremises $true, or set centralizedTransport to false in the profile.`);
    }
  }
  return gaps;
}

/** The OnPremises outbound connectors that carry the plan's mail to your servers must deliver to your servers. */
function checkSmartHosts(profile: Profile, planned: readonly DraftConnector[], matches: ReadonlyMap<string, ExistingConnector>): Gap[] {
  const own = new Set(profile.ownServers.flatMap((s) => [...s.hostNames, ...s.publicIps]).map(norm));
  const gaps: Gap[] = [];
  const seen = new Set<ExistingConnector>();
  for (const p of planned) {
    const e = matches.get(p.id);
    if (p.kind !== 'own-out' || !e || seen.has(e) || e.direction !== 'outbound' || e.smartHosts.length === 0) continue;
    seen.add(e);
    const foreign = e.smartHosts.filter((h) => !own.has(norm(h)) && !profile.ownServers.some((s) => rangeCovered(h, s.publicIps)));
    if (foreign.length > 0) {
      gaps.push({
        code: 'SMART_HOSTS_NOT_OWN_SERVERS', severity: 'fail', subject: e.name,
        message: `"${e.name}" delivers to ${shortList(foreign)}, which ${foreign.length === 1 ? 'is' : 'are'} not among your own servers (${shortList([...own]) || 'none listed'}).`,
        fix: 'Point SmartHosts at your own servers\' host names (not IP addresses), or add the server to the profile if it is yours.',
      });
    }
  }
  return gaps;
}

/** OnPremises inbound connectors attribute mail by certificate only for a name in an accepted domain (ATTR36). */
function checkCertificateNamesAccepted(profile: Profile, matched: readonly ExistingConnector[]): Gap[] {
  const gaps: Gap[] = [];
  for (const e of matched) {
    if (e.direction !== 'inbound' || e.connectorType !== 'OnPremises' || !e.tlsSenderCertificateName) continue;
    const problem = certificateNotAccepted(e.tlsSenderCertificateName, profile.acceptedDomains);
    if (problem) gaps.push({ code: problem.code, severity: 'warn', subject: e.name, message: `"${e.name}": ${problem.message}`, fix: problem.fix });
  }
  return gaps;
}

/**
 * Duplicate partner connectors, and allow-by-domain next to restrict-by-IP or
 * certificate. Linear in the number of domains (each domain is looked up by
 * itself and by its parent names in a map), so an export with tens of
 * thousands of domains is checked in milliseconds, not minutes.
 */
export function checkOverlaps(existing: readonly ExistingConnector[]): Gap[] {
  const gaps: Gap[] = [];
  for (const direction of ['inbound', 'outbound'] as const) {
    const partners = existing.filter((e) => e.connectorType === 'Partner' && e.enabled && e.direction === direction);
    const domainsOf = (e: ExistingConnector) => (e.direction === 'inbound' ? e.senderDomains : e.recipientDomains);
    const exact = new Map<string, number[]>();
    const wild = new Map<string, number[]>();
    const everything: number[] = [];
    const push = (map: Map<string, number[]>, key: string, i: number) => {
      const list = map.get(key);
      if (!list) map.set(key, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    };
    const normalised = partners.map((e) => domainsOf(e).map(norm));
    normalised.forEach((domains, i) => {
      for (const d of domains) {
        if (d === '*') everything.push(i);
        else if (d.startsWith('*.')) push(wild, d.slice(2), i);
        else push(exact, d, i);
      }
    });
    /** Pair i < j, as i * count + j → the first few shared domains, in the order found. */
    const shared = new Map<number, string[]>();
    const count = partners.length;
    const note = (i: number, j: number, domain: string) => {
      if (i === j) return;
      const key = i < j ? i * count + j : j * count + i;
      const list = shared.get(key);
      if (!list) shared.set(key, [domain]);
      else if (list.length < 6 && !list.includes(domain)) list.push(domain);
    };
    normalised.forEach((domains, i) => {
      for (const d of domains) {
        if (d === '*') continue;
        const body = d.startsWith('*.') ? d.slice(2) : d;
        if (!d.startsWith('*.')) for (const j of exact.get(d) ?? []) note(i, j, d);
        // Any wildcard on this name or a parent name covers it.
        for (let parent: string | undefined = body; parent !== undefined; parent = parentName(parent)) {
          for (const j of wild.get(parent) ?? []) note(i, j, d);
        }
      }
    });
    for (const i of new Set(everything)) partners.forEach((_, j) => note(i, j, '*'));

    for (const [key, domains] of shared) {
      const a = partners[Math.floor(key / count)]!;
      const b = partners[key % count]!;
      const list = domains.length > 5 ? `${domains.slice(0, 5).join(', ')} and more` : domains.join(', ');
      if (a.direction === 'inbound' && b.direction === 'inbound') {
        const ra = a.restrictDomainsToIpAddresses || a.restrictDomainsToCertificate;
        const rb = b.restrictDomainsToIpAddresses || b.restrictDomainsToCertificate;
        if (ra !== rb) {
          const [allow, restrict] = ra ? [b, a] : [a, b];
          gaps.push({
            code: 'ALLOW_BY_DOMAIN_NEXT_TO_RESTRICT', severity: 'warn', subject: allow.name,
            message: `"${allow.name}" allows ${list} by sender domain, while "${restrict.name}" restricts the same domain by IP or certificate; the two cannot coexist and the restricting one wins.`,
            fix: `Remove "${allow.name}" or merge its settings into "${restrict.name}".`,
          });
          continue;
        }
      }
      gaps.push({
        code: 'DUPLICATE_PARTNER_CONNECTORS', severity: 'warn', subject: b.name,
        message: `"${a.name}" and "${b.name}" are both ${a.direction} partner connectors for ${list}.`,
        fix: 'Keep one connector per partner and direction; merge and remove the other.',
      });
    }
  }
  return gaps;
}

/**
 * Two enabled OnPremises outbound connectors for exactly the same domains
 * contradict each other: Office 365 uses one of them for all that mail.
 * Connectors scoped to mail flow rules are left out (rules choose them).
 */
function checkSameAddressSpace(existing: readonly ExistingConnector[]): Gap[] {
  const gaps: Gap[] = [];
  const first = new Map<string, ExistingConnector>();
  for (const e of existing) {
    if (e.direction !== 'outbound' || e.connectorType !== 'OnPremises' || !e.enabled || e.isTransportRuleScoped || e.recipientDomains.length === 0) continue;
    const key = e.recipientDomains.map(norm).sort().join(' ');
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, e);
      continue;
    }
    gaps.push({
      code: 'ONPREMISES_OUTBOUND_SAME_DOMAINS', severity: 'warn', subject: e.name,
      message: `"${earlier.name}" and "${e.name}" are both OnPremises outbound connectors for ${shortList(e.recipientDomains)}; Office 365 uses only one of them for that mail, so the other's smart hosts are never used.`,
      fix: `Keep one connector per address space: put all the smart hosts on "${earlier.name}" and remove or disable "${e.name}", or give each its own domains.`,
    });
  }
  return gaps;
}

/** The wizard's connectors have a known shape (fact sheet §2); hand edits break the next wizard run or mail flow. */
function checkHybridEdited(e: ExistingConnector): Gap[] {
  const changed: string[] = [];
  if (e.connectorType !== 'OnPremises') changed.push(`ConnectorType is ${e.connectorType}`);
  if (!e.cloudServicesMailEnabled) changed.push('CloudServicesMailEnabled is off');
  if (e.direction === 'inbound') {
    const i: ExistingInbound = e;
    if (!i.requireTls) changed.push('RequireTls is off');
    if (!i.tlsSenderCertificateName) changed.push('TlsSenderCertificateName is empty');
  } else {
    const o: ExistingOutbound = e;
    if (o.tlsSettings !== 'DomainValidation') changed.push(`TlsSettings is ${o.tlsSettings ?? 'empty'}`);
    if (o.useMxRecord) changed.push('UseMXRecord is on');
    if (o.smartHosts.length === 0) changed.push('SmartHosts is empty');
  }
  if (e.connectorSource !== 'HybridWizard') changed.push(`its source is ${e.connectorSource}, not HybridWizard (it looks like a wizard connector changed in the admin centre)`);
  if (changed.length === 0) return [];
  return [{
    code: 'HYBRID_CONNECTOR_EDITED', severity: 'warn', subject: e.name,
    message: `"${e.name}" was made by the Hybrid Configuration Wizard but differs from what the wizard sets: ${changed.join('; ')}.`,
    fix: 'Run the Hybrid Configuration Wizard again instead of editing its connectors by hand.',
  }];
}
