import type { ExistingConnector, ExistingInbound, ExistingOutbound, Gap, Profile } from '../contract/planner';
import type { DraftConnector } from './rules';
import { certificateNotAccepted } from './rules';
import { certificateNameMatches, domainsOverlap, norm, rangeCovered, rangesOverlap } from './net';
import { psQuote } from './powershell';

/**
 * Compares the planned connectors with the imported ones: which planned
 * connector each existing one fulfils, and what is wrong with what exists
 * (issue 4, "Existing connectors: import and gaps").
 */
export interface GapResult {
  /** Planned id → the existing connector that fulfils it. */
  readonly matches: ReadonlyMap<string, ExistingConnector>;
  readonly gaps: Gap[];
}

const HCW_NAME = /^(Inbound from|Outbound to) [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isHybrid = (c: ExistingConnector) => c.connectorSource === 'HybridWizard' || HCW_NAME.test(c.name);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

/** How well an existing connector fits a planned one; 0 = not at all. */
export function matchScore(planned: DraftConnector, existing: ExistingConnector, profile: Profile): number {
  const direction = planned.cmdlet === 'New-InboundConnector' ? 'inbound' : 'outbound';
  if (existing.direction !== direction) return 0;
  const type = planned.parameters['ConnectorType'];
  if (existing.connectorType !== type) return 0;
  const nameBonus = norm(existing.name) === norm(planned.name) ? 100 : 0;
  const enabledBonus = existing.enabled ? 1 : 0;
  let fit = false;
  if (planned.createdBy === 'hybrid-wizard') fit = isHybrid(existing) || existing.cloudServicesMailEnabled;
  else if (planned.kind === 'own-in' || planned.kind === 'device-in') {
    const e = existing as ExistingInbound;
    const ips = list(planned.parameters['SenderIPAddresses']);
    const cert = str(planned.parameters['TlsSenderCertificateName']);
    fit = (ips.length > 0 && ips.every((ip) => rangeCovered(ip, e.senderIpAddresses)))
      || (planned.kind === 'own-in' && rangesOverlap(ips, e.senderIpAddresses))
      || (cert !== undefined && e.tlsSenderCertificateName !== undefined && (planned.kind === 'own-in' || certificateNameMatches(e.tlsSenderCertificateName, cert)));
    if (planned.kind === 'own-in' && !fit) {
      const server = profile.ownServers.find((s) => s.name === planned.ref);
      fit = server !== undefined && rangesOverlap(server.publicIps, e.senderIpAddresses);
    }
  } else if (planned.kind === 'own-out') {
    const e = existing as ExistingOutbound;
    const server = profile.ownServers.find((s) => s.name === planned.ref);
    const hosts = new Set((server?.hostNames ?? []).map(norm));
    fit = domainsOverlap(list(planned.parameters['RecipientDomains']), e.recipientDomains) || e.smartHosts.some((h) => hosts.has(norm(h)));
  } else if (planned.kind === 'partner-in') {
    fit = domainsOverlap(list(planned.parameters['SenderDomains']), (existing as ExistingInbound).senderDomains);
  } else if (planned.kind === 'partner-out') {
    fit = domainsOverlap(list(planned.parameters['RecipientDomains']), (existing as ExistingOutbound).recipientDomains);
  }
  if (!fit && nameBonus === 0) return 0;
  return 10 + nameBonus + enabledBonus + (fit ? 10 : 0);
}

export function analyseGaps(profile: Profile, planned: readonly DraftConnector[], existing: readonly ExistingConnector[]): GapResult {
  const gaps: Gap[] = [];
  const matches = new Map<string, ExistingConnector>();
  const used = new Set<ExistingConnector>();

  for (const p of planned) {
    let best: ExistingConnector | undefined;
    let bestScore = 0;
    for (const e of existing) {
      const score = matchScore(p, e, profile);
      if (score > bestScore) { best = e; bestScore = score; }
    }
    if (!best) {
      gaps.push({
        code: 'CONNECTOR_MISSING', severity: p.optional ? 'warn' : 'fail', subject: p.id,
        message: `No existing connector matches "${p.name}" (${p.fromToText}).`,
        fix: p.createdBy === 'hybrid-wizard' ? 'Run the Hybrid Configuration Wizard again; it recreates its connectors.' : 'Create it with the PowerShell in this plan.',
      });
      continue;
    }
    matches.set(p.id, best);
    used.add(best);
    gaps.push(...checkMatched(profile, p, best));
  }

  gaps.push(...checkSmartHosts(profile, existing));
  gaps.push(...checkCertificateNamesAccepted(profile, existing));
  gaps.push(...checkOverlaps(existing));
  for (const e of existing) {
    if (isHybrid(e)) gaps.push(...checkHybridEdited(e));
    if (!used.has(e)) {
      gaps.push({
        code: 'CONNECTOR_UNUSED', severity: 'info', subject: e.name,
        message: `"${e.name}" (${e.direction}, ${e.connectorType}${e.enabled ? '' : ', disabled'}) is not used by any flow in this plan.`,
        fix: 'If nothing else needs it, remove it (Remove-' + (e.direction === 'inbound' ? 'Inbound' : 'Outbound') + 'Connector); otherwise add what it serves to the profile.',
      });
    }
    for (const note of e.importNotes) gaps.push({ code: 'IMPORT_ASSUMPTION', severity: 'info', subject: e.name, message: note, fix: 'Re-export with PowerShell 7 (enums as names) if this reading looks wrong.' });
  }
  return { matches, gaps };
}

function checkMatched(profile: Profile, p: DraftConnector, e: ExistingConnector): Gap[] {
  const gaps: Gap[] = [];
  const g = (code: string, severity: Gap['severity'], message: string, fix: string) => gaps.push({ code, severity, subject: e.name, message, fix });
  if (!e.enabled) g('CONNECTOR_DISABLED', 'fail', `"${e.name}" would carry "${p.name}" but is disabled.`, `Enable it: Set-${e.direction === 'inbound' ? 'Inbound' : 'Outbound'}Connector -Identity ${psQuote(e.name)} -Enabled $true`);
  const partner = profile.partners.find((x) => x.name === p.ref);
  const server = profile.ownServers.find((x) => x.name === p.ref);
  if (e.direction === 'inbound') {
    if (p.kind === 'partner-in' && partner && p.parameters['RequireTls'] === true && !e.requireTls) {
      g('PARTNER_TLS_NOT_REQUIRED', 'fail', `"${e.name}" accepts mail from ${partner.name} without TLS, but TLS is required${partner.requireTlsInbound ? '' : ' (its mail is restricted to a certificate, which only TLS carries)'}.`, `Set-InboundConnector -Identity ${psQuote(e.name)} -RequireTls $true`);
    }
    const want = p.kind === 'own-in' ? server?.certificateName : p.kind === 'partner-in' ? partner?.senderCertificateName : str(p.parameters['TlsSenderCertificateName']);
    if (want && e.tlsSenderCertificateName && !certificateNameMatches(e.tlsSenderCertificateName, want)) {
      g('CERTIFICATE_NAME_MISMATCH', 'fail', `"${e.name}" expects the sender certificate ${e.tlsSenderCertificateName}, but ${p.ref} sends with ${want}.`, `Set TlsSenderCertificateName to ${want} (otherwise mail is rejected: 550 5.7.64 TenantAttribution / 5.7.51).`);
    }
    if (p.kind === 'partner-in' && partner?.senderCertificateName && !e.restrictDomainsToCertificate) {
      g('PARTNER_NOT_RESTRICTED', 'warn', `"${e.name}" does not restrict ${partner.name}'s mail to its certificate.`, 'Set RestrictDomainsToCertificate $true with TlsSenderCertificateName.');
    } else if (p.kind === 'partner-in' && partner && partner.ipRanges.length > 0 && !partner.senderCertificateName && !e.restrictDomainsToIpAddresses) {
      g('PARTNER_NOT_RESTRICTED', 'warn', `"${e.name}" does not restrict ${partner.name}'s mail to its IP ranges.`, 'Set RestrictDomainsToIPAddresses $true with SenderIPAddresses.');
    }
  } else {
    if (p.kind === 'partner-out' && partner?.requireTlsOutbound && e.tlsSettings === undefined) {
      g('PARTNER_TLS_NOT_REQUIRED', 'fail', `"${e.name}" sends to ${partner.name} without requiring TLS (TlsSettings is empty: opportunistic), but TLS is required.`, `Set-OutboundConnector -Identity ${psQuote(e.name)} -TlsSettings ${str(p.parameters['TlsSettings']) ?? 'CertificateValidation'}`);
    } else if (p.kind === 'partner-out' && partner?.requireTlsOutbound && weaker(e.tlsSettings, str(p.parameters['TlsSettings']))) {
      g('PARTNER_TLS_WEAKER', 'warn', `"${e.name}" checks ${partner.name}'s certificate with ${e.tlsSettings}, weaker than the planned ${str(p.parameters['TlsSettings'])}.`, `Set TlsSettings to ${str(p.parameters['TlsSettings'])}.`);
    }
    const want = p.kind === 'own-out' ? server?.certificateName : p.kind === 'partner-out' ? partner?.certificateName : undefined;
    if (want && e.tlsDomain && !certificateNameMatches(e.tlsDomain, want)) {
      g('CERTIFICATE_NAME_MISMATCH', 'fail', `"${e.name}" expects the certificate ${e.tlsDomain} (TlsDomain), but ${p.ref}'s certificate is ${want}.`, `Set TlsDomain to ${want} (otherwise delivery fails: 450 4.4.317 SubjectMismatch / 4.7.320).`);
    }
    if (e.testMode) g('CONNECTOR_TEST_MODE', 'warn', `"${e.name}" is in test mode.`, 'Turn test mode off (TestMode $false) when testing is done.');
    if (e.isTransportRuleScoped) g('CONNECTOR_RULE_SCOPED', 'info', `"${e.name}" is used only for mail a mail flow rule sends to it.`, 'Make sure a mail flow rule routes this mail to it, or set IsTransportRuleScoped $false.');
  }
  return gaps;
}

const STRENGTH: Readonly<Record<string, number>> = { EncryptionOnly: 1, CertificateValidation: 2, DomainValidation: 3 };
function weaker(actual: string | undefined, planned: string | undefined): boolean {
  return actual !== undefined && planned !== undefined && (STRENGTH[actual] ?? 0) < (STRENGTH[planned] ?? 0);
}

/** OnPremises outbound connectors must deliver to your own servers. */
function checkSmartHosts(profile: Profile, existing: readonly ExistingConnector[]): Gap[] {
  const own = new Set(profile.ownServers.flatMap((s) => [...s.hostNames, ...s.publicIps]).map(norm));
  const gaps: Gap[] = [];
  for (const e of existing) {
    if (e.direction !== 'outbound' || e.connectorType !== 'OnPremises' || e.smartHosts.length === 0) continue;
    const foreign = e.smartHosts.filter((h) => !own.has(norm(h)) && !profile.ownServers.some((s) => rangeCovered(h, s.publicIps)));
    if (foreign.length > 0) {
      gaps.push({
        code: 'SMART_HOSTS_NOT_OWN_SERVERS', severity: profile.ownServers.length === 0 ? 'warn' : 'fail', subject: e.name,
        message: `"${e.name}" delivers to ${foreign.join(', ')}, which ${foreign.length === 1 ? 'is' : 'are'} not among your own servers (${[...own].join(', ') || 'none listed'}).`,
        fix: 'Point SmartHosts at your own servers\' host names (not IP addresses), or add the server to the profile if it is yours.',
      });
    }
  }
  return gaps;
}

/** OnPremises inbound connectors attribute mail by certificate only for a name in an accepted domain (ATTR36). */
function checkCertificateNamesAccepted(profile: Profile, existing: readonly ExistingConnector[]): Gap[] {
  const gaps: Gap[] = [];
  for (const e of existing) {
    if (e.direction !== 'inbound' || e.connectorType !== 'OnPremises' || !e.tlsSenderCertificateName) continue;
    const problem = certificateNotAccepted(e.tlsSenderCertificateName, profile.acceptedDomains);
    if (problem) gaps.push({ code: problem.code, severity: 'warn', subject: e.name, message: `"${e.name}": ${problem.message}`, fix: problem.fix });
  }
  return gaps;
}

/** Duplicate partner connectors, and allow-by-domain next to restrict-by-IP/certificate. */
function checkOverlaps(existing: readonly ExistingConnector[]): Gap[] {
  const gaps: Gap[] = [];
  const partners = existing.filter((e) => e.connectorType === 'Partner' && e.enabled);
  for (let i = 0; i < partners.length; i++) {
    for (let j = i + 1; j < partners.length; j++) {
      const a = partners[i];
      const b = partners[j];
      if (!a || !b || a.direction !== b.direction) continue;
      const da = a.direction === 'inbound' ? a.senderDomains : a.recipientDomains;
      const db = b.direction === 'inbound' ? b.senderDomains : b.recipientDomains;
      if (!domainsOverlap(da, db)) continue;
      const shared = da.filter((d) => domainsOverlap([d], db)).join(', ');
      if (a.direction === 'inbound' && b.direction === 'inbound') {
        const ra = a.restrictDomainsToIpAddresses || a.restrictDomainsToCertificate;
        const rb = b.restrictDomainsToIpAddresses || b.restrictDomainsToCertificate;
        if (ra !== rb) {
          const [allow, restrict] = ra ? [b, a] : [a, b];
          gaps.push({
            code: 'ALLOW_BY_DOMAIN_NEXT_TO_RESTRICT', severity: 'warn', subject: allow.name,
            message: `"${allow.name}" allows ${shared} by sender domain, while "${restrict.name}" restricts the same domain by IP or certificate; the two cannot coexist and the restricting one wins.`,
            fix: `Remove "${allow.name}" or merge its settings into "${restrict.name}".`,
          });
          continue;
        }
      }
      gaps.push({
        code: 'DUPLICATE_PARTNER_CONNECTORS', severity: 'warn', subject: b.name,
        message: `"${a.name}" and "${b.name}" are both ${a.direction} partner connectors for ${shared}.`,
        fix: 'Keep one connector per partner and direction; merge and remove the other.',
      });
    }
  }
  return gaps;
}

/** The wizard's connectors have a known shape (fact sheet §2); hand edits break the next wizard run or mail flow. */
function checkHybridEdited(e: ExistingConnector): Gap[] {
  const changed: string[] = [];
  if (e.connectorType !== 'OnPremises') changed.push(`ConnectorType is ${e.connectorType}`);
  if (!e.cloudServicesMailEnabled) changed.push('CloudServicesMailEnabled is off');
  if (e.direction === 'inbound') {
    if (!e.requireTls) changed.push('RequireTls is off');
    if (!e.tlsSenderCertificateName) changed.push('TlsSenderCertificateName is empty');
  } else {
    if (e.tlsSettings !== 'DomainValidation') changed.push(`TlsSettings is ${e.tlsSettings ?? 'empty'}`);
    if (e.useMxRecord) changed.push('UseMXRecord is on');
    if (e.smartHosts.length === 0) changed.push('SmartHosts is empty');
  }
  if (e.connectorSource !== 'HybridWizard') changed.push(`its source is ${e.connectorSource}, not HybridWizard (it looks like a wizard connector changed in the admin centre)`);
  if (changed.length === 0) return [];
  return [{
    code: 'HYBRID_CONNECTOR_EDITED', severity: 'warn', subject: e.name,
    message: `"${e.name}" was made by the Hybrid Configuration Wizard but differs from what the wizard sets: ${changed.join('; ')}.`,
    fix: 'Run the Hybrid Configuration Wizard again instead of editing its connectors by hand.',
  }];
}
