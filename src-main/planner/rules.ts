import type { ConnectorSpec, Decision, DeviceRecommendation, Device, InboundSpec, OutboundSpec, OwnServer, Partner, Profile } from '../contract/planner';
import { actorId, deviceActor, ownServerActor, partnerActor, type ActorRef } from '../contract/actors';
import { cmdletOf, cmdletParameters, inboundSpec, outboundSpec } from './connector';
import type { Finding } from '../contract/findings';
import type { PsValue } from './powershell';
import { validateConnector, type ConnectorProblem } from './validate';
import { domainMatches, norm } from './net';
import { recommendDevice } from './devices';

/**
 * The article's two tables as rules (connectors-overview.txt). Every decision
 * and every connector cites the row that produced it, so a reader can check
 * the plan against the article.
 */
export const RULES = {
  prerequisite: 'Prerequisite: accepted domains before any connector',
  noConnectors: 'Article: Exchange Online is ready to send and receive Internet mail; most organisations need no connector',
  t1Eop: 'Table 1, row: You have a standalone Exchange Online Protection (EOP) subscription',
  t1Split: 'Table 1, row: You have an Exchange Online subscription, and some of your mailboxes are on your email servers',
  t1Devices: 'Table 1, row: You have an Exchange Online subscription, and your organization needs to send email messages from non-mailboxes, such as printers',
  t1Partners: 'Table 1, row: You often exchange email with business partners, and you want to apply certain security restrictions',
  t2ExEop: 'Table 2, row: Exchange 2013/2010 + Exchange Online Protection',
  t2ExExoNoHybrid: 'Table 2, row: Exchange 2013/2010 + Exchange Online, no hybrid',
  t2ExExoHybrid: 'Table 2, row: Exchange 2013/2010 + Exchange Online, hybrid completed',
  t2Ex2007: 'Table 2, row: Exchange 2007 or earlier + EOP or Exchange Online',
  t2NonMs: 'Table 2, row: Non-Microsoft SMTP server + EOP or Exchange Online',
} as const;

export const FROM_TO = {
  ownToO365: "From: Your organization's email server, To: Office 365",
  o365ToOwn: "From: Office 365, To: Your organization's email server",
  partnerToO365: 'From: Partner organization, To: Office 365',
  o365ToPartner: 'From: Office 365, To: Partner organization',
} as const;

export type DraftKind = 'own-in' | 'own-out' | 'partner-in' | 'partner-out' | 'device-in';

/** A connector the plan needs, before PowerShell text and import matching are added. */
export interface DraftConnector {
  readonly id: string;
  readonly name: string;
  readonly kind: DraftKind;
  /** The server, partner or device name it serves. */
  readonly ref: string;
  /** The same, typed. */
  readonly serves: ActorRef;
  /** What the connector is; `parameters` is its rendering for the cmdlet. */
  readonly spec: ConnectorSpec;
  readonly from: string;
  readonly to: string;
  readonly fromToText: string;
  readonly cmdlet: 'New-InboundConnector' | 'New-OutboundConnector';
  readonly parameters: Readonly<Record<string, PsValue>>;
  readonly reason: string;
  readonly rule: string;
  readonly optional: boolean;
  readonly createdBy: 'you' | 'hybrid-wizard';
  readonly problems: readonly ConnectorProblem[];
  /** Problems that are advice rather than a refused command (e.g. certificate name not an accepted domain). */
  readonly warnings: readonly ConnectorProblem[];
}

/** Who the profile says exists: John needs mailboxes on own servers, Bob needs Exchange Online mailboxes. */
export interface Situation {
  readonly hasJohn: boolean;
  readonly hasBob: boolean;
  readonly mxOffice365: boolean;
  /** Servers whose connectors the Hybrid Configuration Wizard made. */
  readonly hybridServers: ReadonlySet<string>;
}

export interface RuleResult {
  readonly situation: Situation;
  readonly decisions: Decision[];
  readonly findings: Finding[];
  readonly connectors: DraftConnector[];
  readonly deviceRecommendations: DeviceRecommendation[];
}

const planFinding = (code: string, severity: Finding['severity'], subject: string, message: string, explanation: string, fix: string, evidence: string[] = []): Finding => ({
  code, severity, area: 'plan', subject, message, explanation, fix, evidence,
});

/** The Table 2 row for one server. */
export function table2Row(kind: OwnServer['kind'], subscription: Profile['subscription'], hybrid: boolean): string {
  if (kind === 'exchange-2007-or-earlier') return RULES.t2Ex2007;
  if (kind === 'non-microsoft') return RULES.t2NonMs;
  if (subscription === 'eop-standalone') return RULES.t2ExEop;
  return hybrid ? RULES.t2ExExoHybrid : RULES.t2ExExoNoHybrid;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';

export function applyRules(profile: Profile): RuleResult {
  const decisions: Decision[] = [];
  const findings: Finding[] = [];
  const connectors: DraftConnector[] = [];
  const usedIds = new Set<string>();
  const uniqueId = (base: string) => {
    let id = base;
    for (let i = 2; usedIds.has(id); i++) id = `${base}-${i}`;
    usedIds.add(id);
    return id;
  };

  if (profile.acceptedDomains.length === 0) {
    findings.push(planFinding('PLAN_NO_ACCEPTED_DOMAINS', 'warn', profile.name, 'No accepted domains are set.',
      'The article: before you set up a connector, you must set up the accepted domains you want to define for Office 365. Connectors from your own server are tied to them.',
      'Add your domains in the Microsoft 365 admin centre (Settings > Domains) and list them under acceptedDomains.'));
    decisions.push({ rule: RULES.prerequisite, text: 'No accepted domains are set: add them before creating any connector.' });
  }

  // Where the mailboxes really are, given what the subscription allows.
  let mailboxes = profile.mailboxes;
  if (profile.subscription === 'eop-standalone' && mailboxes !== 'all-own-servers') {
    findings.push(planFinding('PLAN_EOP_HAS_NO_MAILBOXES', 'warn', profile.name, `Standalone EOP with mailboxes "${mailboxes}": EOP hosts no mailboxes.`,
      'With a standalone Exchange Online Protection subscription all mailboxes are on your own servers; EOP only filters mail.',
      'Set mailboxes to "all-own-servers", or the subscription to "exchange-online" if you have Exchange Online mailboxes.'));
    mailboxes = 'all-own-servers';
  }
  const servers = profile.ownServers;
  if (mailboxes !== 'all-cloud' && servers.length === 0) {
    findings.push(planFinding('PLAN_MAILBOXES_WITHOUT_SERVER', 'fail', profile.name, 'Mailboxes are said to be on your own servers, but no own server is listed.',
      'Connectors between Office 365 and your servers need the servers\' host names and addresses.', 'Add your mail servers under ownServers.'));
  }
  const hasJohn = mailboxes !== 'all-cloud' && servers.length > 0;
  const hasBob = profile.subscription === 'exchange-online' && mailboxes !== 'all-own-servers';
  const mxOffice365 = profile.mxPointsTo === 'office365';
  if (!mxOffice365) {
    findings.push(planFinding('PLAN_MX_NOT_OFFICE365', profile.subscription === 'eop-standalone' ? 'warn' : 'info', profile.name, 'Your MX records point to your own server, not to Office 365.',
      'The article assumes "All Internet email is delivered via Office 365". With the MX on your server, Internet mail reaches your server first' +
        (profile.subscription === 'eop-standalone' ? ', so EOP does not filter it.' : ' and is passed on to Office 365 for cloud mailboxes; inbound partner connectors in Office 365 cannot enforce anything for it.'),
      'Point the MX records to Office 365 (<domain-with-dashes>.mail.protection.outlook.com) once the connectors are in place.'));
  }

  // Table 1: the organisation's situation.
  if (servers.length === 0) {
    decisions.push({ rule: RULES.noConnectors, text: 'You have no own mail servers: mail between Exchange Online and the Internet needs no connector.' });
  } else if (profile.subscription === 'eop-standalone') {
    decisions.push({ rule: RULES.t1Eop, text: "Connectors required: From: Your organization's email server, To: Office 365 (incoming) and From: Office 365, To: Your organization's mail server (outgoing)." });
  } else if (mailboxes === 'split') {
    decisions.push({ rule: RULES.t1Split, text: profile.hybridWizardCompleted
      ? 'Connectors required, in both directions; with the hybrid deployment completed, the Hybrid Configuration Wizard set them up (see Table 2).'
      : 'Connectors required, in both directions. Before setting them up, check whether an Exchange hybrid deployment better meets your needs.' });
  }

  const hybridServers = new Set<string>();
  for (const server of servers) {
    const row = table2Row(server.kind, profile.subscription, profile.hybridWizardCompleted);
    const serverDomains = server.domains.length > 0 ? server.domains : profile.acceptedDomains;
    if (!hasJohn && mailboxes === 'all-cloud') {
      decisions.push({ rule: row, text: `${server.name}: no mailboxes on it (all mailboxes are in Exchange Online); only a connector From: Your organization's email server, To: Office 365 is planned, so it can relay through Office 365.` });
    }
    if (profile.hybridWizardCompleted && server.kind === 'exchange-2010-or-later' && profile.subscription === 'exchange-online') {
      hybridServers.add(server.name);
      decisions.push({ rule: row, text: `${server.name}: no connectors to create. The Hybrid Configuration Wizard created them; to view or edit them go to the connectors page in the Exchange admin centre, or run the wizard again.` });
      connectors.push(...hybridExpected(server, serverDomains, row, uniqueId));
      continue;
    }
    if (profile.hybridWizardCompleted && row !== RULES.t2Ex2007) {
      findings.push(planFinding('PLAN_HYBRID_NOT_AVAILABLE', 'warn', server.name, `A completed hybrid deployment is marked, but for ${server.kind === 'non-microsoft' ? 'a non-Microsoft SMTP server' : 'Exchange with standalone EOP'} the article says hybrid is "Not available".`,
        'The Hybrid Configuration Wizard only connects on-premises Exchange with Exchange Online.', 'Set hybridWizardCompleted to false; the connectors below are needed.'));
    }
    const consider = row === RULES.t2ExExoNoHybrid
      ? ' Consider whether an Exchange hybrid deployment better meets your needs (Hybrid Configuration Wizard); if you only want mail routing, create these connectors.'
      : '';
    const check2007 = row === RULES.t2Ex2007 && profile.hybridWizardCompleted
      ? ' In limited circumstances Exchange 2007 has a hybrid configuration: check on the connectors page whether connectors are already set up before creating these.'
      : '';
    decisions.push({ rule: row, text: `${server.name}: connectors required.${consider}${check2007}` });
    if (consider) {
      findings.push(planFinding('PLAN_CONSIDER_HYBRID', 'info', server.name, 'Exchange 2010 or later with Exchange Online and no hybrid: consider a hybrid deployment.',
        'A hybrid deployment (Hybrid Configuration Wizard) gives shared calendars, mailbox moves and makes the connectors for you.', 'Review Exchange hybrid deployments; if you only want mail routing, create the connectors in this plan.'));
    }
    if (check2007) {
      findings.push(planFinding('PLAN_CHECK_EXISTING_2007_HYBRID', 'info', server.name, 'Exchange 2007 with a hybrid configuration: connectors may already exist.',
        'The article: in limited circumstances you might have a hybrid configuration with Exchange Server 2007; check whether connectors are already set up.',
        'Export the existing connectors (Get-InboundConnector / Get-OutboundConnector | ConvertTo-Json -Depth 5) and run plan with --existing.'));
    }
    const slugName = slug(server.name);
    const t1 = profile.subscription === 'eop-standalone' ? RULES.t1Eop : mailboxes === 'split' ? RULES.t1Split : undefined;
    const because = `${row}${t1 ? `; ${t1}` : ''}`;

    // From your server to Office 365: identify the server by certificate (preferred) or by IP.
    const inSpec: InboundSpec = inboundSpec({
      type: 'OnPremises', senderDomains: ['*'],
      ...(server.certificateName ? { senderCertificateName: server.certificateName, requireTls: true } : { senderIpAddresses: [...server.publicIps] }),
      treatMessagesAsInternal: server.kind === 'non-microsoft' && hasBob,
    });
    const inWarnings: ConnectorProblem[] = [];
    if (!server.certificateName && server.publicIps.length === 0) {
      inWarnings.push({ code: 'OWN_SERVER_NOT_IDENTIFIABLE', message: `${server.name} has neither a certificate name nor public IPs, so Office 365 cannot recognise its mail as yours.`, fix: 'Add the certificate name the server sends with (preferred) or its public IPv4 addresses.' });
    }
    const certProblem = server.certificateName ? certificateNotAccepted(server.certificateName, profile.acceptedDomains) : undefined;
    if (certProblem) inWarnings.push(certProblem);
    connectors.push(draft({
      id: uniqueId(`in-own-${slugName}`), name: `From ${server.name} to Office 365`, kind: 'own-in', ref: server.name, serves: ownServerActor(server.name),
      from: 'own-server', to: 'office365', fromToText: FROM_TO.ownToO365, spec: inSpec,
      reason: hasJohn
        ? `Mail from mailboxes on ${server.name} ${[hasBob ? 'to Exchange Online' : '', mxOffice365 ? 'to the Internet (relayed through Office 365)' : ''].filter(Boolean).join(' and ') || 'to Office 365'} must be recognised as your organisation's.`
        : `${server.name} relays mail through Office 365; Office 365 must recognise it as your organisation's.`,
      rule: because, optional: false, createdBy: 'you', warnings: inWarnings,
    }));

    if (hasJohn) {
      const outSpec: OutboundSpec = outboundSpec({
        type: 'OnPremises', recipientDomains: [...serverDomains], smartHosts: [...server.hostNames], useMxRecord: false,
        ...(server.certificateName ? { tlsSettings: 'DomainValidation', tlsDomain: server.certificateName } : { tlsSettings: 'CertificateValidation' }),
      });
      const outWarnings: ConnectorProblem[] = [];
      if (!server.certificateName) outWarnings.push({ code: 'OWN_SERVER_NO_CERTIFICATE_NAME', message: `${server.name} has no certificate name: Office 365 can check the certificate's chain but not its name.`, fix: 'Install a CA-signed certificate on the server and add its name (TlsDomain) to the profile.' });
      connectors.push(draft({
        id: uniqueId(`out-own-${slugName}`), name: `From Office 365 to ${server.name}`, kind: 'own-out', ref: server.name, serves: ownServerActor(server.name),
        from: 'office365', to: 'own-server', fromToText: FROM_TO.o365ToOwn, spec: outSpec,
        reason: `Mail for mailboxes on ${server.name} (${serverDomains.join(', ') || 'no domains known'}) ${mxOffice365 ? `arriving in Office 365 from the Internet${hasBob ? ' or from Exchange Online' : ''}` : 'sent from Exchange Online'} must be delivered to it.`,
        rule: because, optional: false, createdBy: 'you', warnings: outWarnings,
      }));
    }
  }

  for (const partner of profile.partners) connectors.push(...partnerConnectors(partner, decisions, findings, mxOffice365, uniqueId));

  const deviceRecommendations: DeviceRecommendation[] = [];
  for (const device of profile.devices) {
    const rec = recommendDevice(device, hasBob, profile.acceptedDomains);
    deviceRecommendations.push(rec);
    decisions.push({ rule: RULES.t1Devices, text: `${device.name}: ${optionLabel(rec.option)}. ${rec.reason}` });
    if (rec.option === 'smtp-relay' && rec.feasible) connectors.push(deviceConnector(device, hasBob, profile.acceptedDomains, uniqueId));
    if (!rec.feasible) {
      findings.push(planFinding('PLAN_DEVICE_CANNOT_RELAY', 'warn', actorId(deviceActor(device.name)), `${device.name} must reach external recipients but has neither SMTP AUTH with TLS 1.2 nor a static IP or certificate.`,
        'SMTP relay through a connector needs a static public IP or a certificate so Office 365 can tell the device\'s mail from anyone else\'s.',
        'Give it a static public IP (or a certificate), or let it send through a server that can log in (SMTP AUTH) or already has a connector.'));
    }
  }

  return { situation: { hasJohn, hasBob, mxOffice365, hybridServers }, decisions, findings, connectors, deviceRecommendations };
}

/**
 * Office 365 attributes mail from an OnPremises inbound connector by its
 * certificate only when TlsSenderCertificateName is an accepted domain or a
 * wildcard covering one (fact sheet §4); otherwise relay fails with ATTR36.
 */
export function certificateNotAccepted(certificateName: string, acceptedDomains: readonly string[]): ConnectorProblem | undefined {
  const accepted = acceptedDomains.map(norm);
  if (accepted.length === 0 || accepted.some((d) => domainMatches(`*.${d}`, certificateName) || domainMatches(certificateName, d))) return undefined;
  return {
    code: 'CERTIFICATE_NAME_NOT_ACCEPTED',
    message: `The certificate name ${certificateName} is not in any accepted domain (${acceptedDomains.join(', ')}).`,
    fix: 'Use a certificate whose name is in an accepted domain (e.g. mail.contoso.com), or relay of on-premises mail to the Internet fails with 550 5.7.64 ... ATTR36 (5.7.51 for the certificate match).',
  };
}

export function optionLabel(option: DeviceRecommendation['option']): string {
  return option === 'smtp-auth' ? 'SMTP AUTH client submission' : option === 'direct-send' ? 'Direct send' : 'SMTP relay through a connector';
}

type DraftInput = Omit<DraftConnector, 'problems' | 'warnings' | 'cmdlet' | 'parameters'> & { warnings?: ConnectorProblem[]; problems?: ConnectorProblem[] };
/** A draft connector: its cmdlet parameters written from its spec and checked as the cmdlet would check them. */
export function draft(input: DraftInput): DraftConnector {
  const cmdlet = cmdletOf(input.spec);
  const parameters = cmdletParameters(input.spec);
  return { ...input, cmdlet, parameters, warnings: input.warnings ?? [], problems: [...(input.problems ?? []), ...validateConnector(cmdlet, input.name, parameters)] };
}

/** What the Hybrid Configuration Wizard makes (fact sheet §2, TC 4420592), listed for flows and import matching. */
function hybridExpected(server: OwnServer, serverDomains: readonly string[], row: string, uniqueId: (b: string) => string): DraftConnector[] {
  const cert = server.certificateName;
  const inSpec = inboundSpec({ type: 'OnPremises', senderDomains: ['*'], requireTls: true, cloudServicesMailEnabled: true, ...(cert ? { senderCertificateName: cert } : {}) });
  const outSpec = outboundSpec({
    type: 'OnPremises', recipientDomains: [...serverDomains], smartHosts: [...server.hostNames], useMxRecord: false,
    tlsSettings: 'DomainValidation', ...(cert ? { tlsDomain: cert } : {}), cloudServicesMailEnabled: true,
  });
  const s = slug(server.name);
  const common = { ref: server.name, serves: ownServerActor(server.name), rule: row, optional: false, createdBy: 'hybrid-wizard' as const };
  const made = (c: DraftInput): DraftConnector => ({ ...draft(c), problems: [] });
  return [
    made({ ...common, id: uniqueId(`in-hybrid-${s}`), name: 'Inbound from <organization GUID>', kind: 'own-in', from: 'own-server', to: 'office365', fromToText: FROM_TO.ownToO365,
      spec: inSpec, reason: `Made by the Hybrid Configuration Wizard: mail from ${server.name} to Exchange Online.` }),
    made({ ...common, id: uniqueId(`out-hybrid-${s}`), name: 'Outbound to <organization GUID>', kind: 'own-out', from: 'office365', to: 'own-server', fromToText: FROM_TO.o365ToOwn,
      spec: outSpec, reason: `Made by the Hybrid Configuration Wizard: mail from Exchange Online to mailboxes on ${server.name}.` }),
  ];
}

function partnerConnectors(partner: Partner, decisions: Decision[], findings: Finding[], mxOffice365: boolean, uniqueId: (b: string) => string): DraftConnector[] {
  const out: DraftConnector[] = [];
  const s = slug(partner.name);
  const restrictInbound = partner.requireTlsInbound || partner.ipRanges.length > 0 || partner.senderCertificateName !== undefined;
  const restrictOutbound = partner.requireTlsOutbound || partner.smartHosts.length > 0;
  if (!restrictInbound && !restrictOutbound) {
    decisions.push({ rule: RULES.t1Partners, text: `${partner.name}: no TLS, IP or routing restriction asked for, so no connector: mail flows as ordinary Internet mail (Office 365 tries TLS anyway).` });
    return out;
  }
  const both = partner.requireTlsInbound && partner.requireTlsOutbound;
  decisions.push({ rule: RULES.t1Partners, text: `${partner.name}: optional partner connectors (${[restrictInbound ? FROM_TO.partnerToO365 : '', restrictOutbound ? FROM_TO.o365ToPartner : ''].filter(Boolean).join('; ')}).${both ? ` TLS is required both ways, so ${partner.name} must have a valid certificate; a certificate signed by a certification authority (CA) is recommended.` : ''}` });
  if ((partner.requireTlsInbound || partner.requireTlsOutbound) && partner.certificateCheck === 'any') {
    findings.push(planFinding('PLAN_PARTNER_CA_CERTIFICATE_RECOMMENDED', 'info', actorId(partnerActor(partner.name)), `TLS with ${partner.name} accepts any certificate.`,
      'Encryption with any certificate protects against eavesdropping but not against someone posing as the partner. The article recommends a certificate signed by a certification authority.',
      'Ask the partner for a CA-signed certificate and set certificateCheck to "ca-issued" or "ca-issued-with-name".'));
  }
  if (restrictInbound) {
    // A sender certificate is only seen over TLS: restricting by it means requiring TLS.
    const requireTls = partner.requireTlsInbound || partner.senderCertificateName !== undefined;
    const warnings: ConnectorProblem[] = [];
    let restriction: Partial<InboundSpec> = {};
    if (partner.senderCertificateName) {
      if (!partner.requireTlsInbound) warnings.push({ code: 'PARTNER_CERTIFICATE_NEEDS_TLS', message: `${partner.name}'s mail is restricted to the certificate ${partner.senderCertificateName}, which is only presented over TLS, so the plan requires TLS from ${partner.name} although requireTlsInbound is false.`, fix: 'Set requireTlsInbound to true in the profile (or drop senderCertificateName to restrict by IP ranges instead).' });
      restriction = { restrictDomainsToCertificate: true, senderCertificateName: partner.senderCertificateName };
      if (partner.ipRanges.length > 0) warnings.push({ code: 'PARTNER_IPS_AND_CERTIFICATE', message: `${partner.name} has both IP ranges and a sender certificate; one partner connector should not restrict by both, so the plan restricts by the certificate and leaves the IP ranges out.`, fix: 'Keep the certificate (stronger); remove ipRanges from the profile, or the certificate if you prefer IP restriction.' });
    } else if (partner.ipRanges.length > 0) {
      restriction = { restrictDomainsToIpAddresses: true, senderIpAddresses: [...partner.ipRanges] };
    }
    const spec = inboundSpec({ type: 'Partner', senderDomains: [...partner.domains], requireTls, ...restriction });
    if (!mxOffice365) warnings.push({ code: 'PARTNER_INBOUND_NEEDS_MX', message: `Your MX points to your own server, so ${partner.name}'s mail reaches Office 365 through your server and this connector cannot enforce TLS on it.`, fix: 'Enforce TLS for the partner on your own server, or point the MX to Office 365.' });
    out.push(draft({
      id: uniqueId(`in-partner-${s}`), name: `From ${partner.name} to Office 365`, kind: 'partner-in', ref: partner.name, serves: partnerActor(partner.name),
      from: actorId(partnerActor(partner.name)), to: 'office365', fromToText: FROM_TO.partnerToO365, spec,
      reason: `Mail from ${partner.name} (${partner.domains.join(', ')}) must ${[requireTls ? 'arrive over TLS' : '', partner.senderCertificateName ? `come from a server with the certificate ${partner.senderCertificateName}` : partner.ipRanges.length > 0 ? `come from ${partner.ipRanges.join(', ')}` : ''].filter(Boolean).join(' and ')}; otherwise it is rejected.`,
      rule: RULES.t1Partners, optional: true, createdBy: 'you', warnings,
    }));
  }
  if (restrictOutbound) {
    const warnings: ConnectorProblem[] = [];
    let tls: Partial<OutboundSpec> = {};
    if (partner.requireTlsOutbound) {
      if (partner.certificateCheck === 'any') tls = { tlsSettings: 'EncryptionOnly' };
      else if (partner.certificateCheck === 'ca-issued' || !partner.certificateName) {
        tls = { tlsSettings: 'CertificateValidation' };
        if (partner.certificateCheck === 'ca-issued-with-name') warnings.push({ code: 'PARTNER_CERTIFICATE_NAME_MISSING', message: `"CA-issued with a name" is asked for ${partner.name} but no certificateName is given; the plan checks the CA only.`, fix: 'Add the name on the partner\'s certificate (certificateName).' });
      } else {
        tls = { tlsSettings: 'DomainValidation', tlsDomain: partner.certificateName };
      }
    }
    const spec = outboundSpec({ type: 'Partner', recipientDomains: [...partner.domains], smartHosts: [...partner.smartHosts], ...tls });
    out.push(draft({
      id: uniqueId(`out-partner-${s}`), name: `From Office 365 to ${partner.name}`, kind: 'partner-out', ref: partner.name, serves: partnerActor(partner.name),
      from: 'office365', to: actorId(partnerActor(partner.name)), fromToText: FROM_TO.o365ToPartner, spec,
      reason: `Mail to ${partner.name} (${partner.domains.join(', ')}) ${partner.requireTlsOutbound ? 'must leave over TLS' : 'must go'} ${partner.smartHosts.length > 0 ? `to ${partner.smartHosts.join(', ')}` : "to the partner's MX"}${partner.requireTlsOutbound && partner.certificateCheck !== 'any' ? ', and the partner\'s certificate must be CA-issued' + (spec.tlsDomain ? ` for ${partner.certificateName}` : '') : ''}.`,
      rule: RULES.t1Partners, optional: true, createdBy: 'you', warnings,
    }));
  }
  return out;
}

function deviceConnector(device: Device, hasBob: boolean, acceptedDomains: readonly string[], uniqueId: (b: string) => string): DraftConnector {
  const warnings: ConnectorProblem[] = [];
  const spec = inboundSpec({
    type: 'OnPremises', senderDomains: ['*'],
    ...(device.staticPublicIp ? { senderIpAddresses: [device.staticPublicIp] } : device.certificateName ? { senderCertificateName: device.certificateName, requireTls: true } : {}),
  });
  if (!device.staticPublicIp && device.certificateName) {
    const certProblem = certificateNotAccepted(device.certificateName, acceptedDomains);
    if (certProblem) warnings.push(certProblem);
  }
  return draft({
    id: uniqueId(`in-device-${slug(device.name)}`), name: `Relay from ${device.name}`, kind: 'device-in', ref: device.name, serves: deviceActor(device.name),
    from: actorId(deviceActor(device.name)), to: 'office365', fromToText: FROM_TO.ownToO365, spec,
    reason: `${device.name} relays mail through Office 365 (SMTP relay); Office 365 recognises it by ${device.staticPublicIp ? `its static IP ${device.staticPublicIp}` : `its certificate ${device.certificateName ?? ''}`}.`,
    rule: RULES.t1Devices + (hasBob ? '' : ' (the article describes it for organisations with all mailboxes in Exchange Online)'), optional: true, createdBy: 'you', warnings,
  });
}
