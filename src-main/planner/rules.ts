import type { ConnectorSpec, Decision, DeviceRecommendation, Device, InboundSpec, OutboundGateway, OutboundSpec, OwnServer, Partner, Profile } from '../contract/planner';
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
  centralized: 'Hybrid option (not in the article): centralised mail transport (RouteAllMessagesViaOnPremises)',
  gateway: 'Not in the article: all outbound mail through a filtering or archiving service (outbound connector for "*" by smart host)',
  sharedDomains: 'Not in the article: shared address space (accepted domain type InternalRelay)',
  since2015: 'Changed since the article (2015): out-of-date on-premises Exchange is throttled, then blocked',
} as const;

export const FROM_TO = {
  ownToO365: "From: Your organization's email server, To: Office 365",
  o365ToOwn: "From: Office 365, To: Your organization's email server",
  partnerToO365: 'From: Partner organization, To: Office 365',
  o365ToPartner: 'From: Office 365, To: Partner organization',
} as const;

export type DraftKind = 'own-in' | 'own-out' | 'partner-in' | 'partner-out' | 'device-in' | 'gateway-out';

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

export interface RuleOptions {
  /** An import showed an OnPremises outbound connector with RouteAllMessagesViaOnPremises on (used when the profile does not say). */
  readonly centralizedTransportDetected?: boolean;
}

export function applyRules(profile: Profile, options: RuleOptions = {}): RuleResult {
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
    const wizardServers = servers.every((s) => s.kind === 'exchange-2010-or-later');
    decisions.push({ rule: RULES.t1Split, text: profile.hybridWizardCompleted
      ? wizardServers
        ? 'Connectors required, in both directions; with the hybrid deployment completed, the Hybrid Configuration Wizard set them up (see Table 2).'
        : 'Connectors required, in both directions. A hybrid deployment is marked, but the Hybrid Configuration Wizard supports neither Exchange 2007 nor non-Microsoft servers, so it did not set these up: create them (see Table 2).'
      : 'Connectors required, in both directions. Before setting them up, check whether an Exchange hybrid deployment better meets your needs.' });
  }

  const hybridServers = new Set<string>();
  /** Sorted domains of each OnPremises outbound connector → the server it goes to: one connector per address space. */
  const addressSpaces = new Map<string, string>();
  const centralized = profile.centralizedTransport ?? options.centralizedTransportDetected ?? false;
  if (centralized && hasBob && hasJohn) {
    decisions.push({ rule: RULES.centralized, text: `Centralised mail transport${profile.centralizedTransport === undefined ? ' (found in the imported connectors)' : ''}: Exchange Online sends all outbound mail, to the Internet and to partners, through your own server (RouteAllMessagesViaOnPremises on the connector From: Office 365, To: your server). Bob's mail to Sun depends on that connector and on your server's way out.` });
  } else if (centralized && !(hasBob && hasJohn)) {
    findings.push(planFinding('PLAN_CENTRALIZED_NEEDS_HYBRID', 'warn', profile.name, 'Centralised mail transport is set, but it needs Exchange Online mailboxes and mailboxes on your own server.',
      'RouteAllMessagesViaOnPremises sends Exchange Online\'s outbound mail through the on-premises organisation; without both, there is nothing to route.', 'Set centralizedTransport to false, or describe the split organisation (mailboxes "split" with an own server).'));
  }
  for (const server of servers) {
    versionFindings(server, findings);
    const row = table2Row(server.kind, profile.subscription, profile.hybridWizardCompleted);
    const serverDomains = server.domains.length > 0 ? server.domains : profile.acceptedDomains;
    if (!hasJohn && mailboxes === 'all-cloud') {
      decisions.push({ rule: row, text: `${server.name}: no mailboxes on it (all mailboxes are in Exchange Online); only a connector From: Your organization's email server, To: Office 365 is planned, so it can relay through Office 365.` });
    }
    if (profile.hybridWizardCompleted && server.kind === 'exchange-2010-or-later' && profile.subscription === 'exchange-online') {
      hybridServers.add(server.name);
      decisions.push({ rule: row, text: `${server.name}: no connectors to create. The Hybrid Configuration Wizard created them; to view or edit them go to the connectors page in the Exchange admin centre, or run the wizard again.` });
      connectors.push(...hybridExpected(server, serverDomains, row, uniqueId, centralized && hasBob));
      continue;
    }
    if (profile.hybridWizardCompleted) {
      const what = server.kind === 'non-microsoft' ? 'a non-Microsoft SMTP server' : server.kind === 'exchange-2007-or-earlier' ? 'Exchange 2007 or earlier' : 'Exchange with standalone EOP';
      findings.push(planFinding('PLAN_HYBRID_NOT_AVAILABLE', 'warn', server.name, `A completed hybrid deployment is marked, but the Hybrid Configuration Wizard does not support ${what}${server.kind === 'exchange-2007-or-earlier' ? '' : ' (the article: hybrid "Not available")'}.`,
        'The Hybrid Configuration Wizard only connects Exchange 2010 or later with Exchange Online, so it did not make connectors for this server.', 'Create the connectors in this plan (and set hybridWizardCompleted to false if no Exchange 2010 or later server remains).'));
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

    /**
     * TreatMessagesAsInternal makes Office 365 treat the server's mail as
     * internal, which also skips anti-spam filtering for it. The cmdlet's
     * documentation puts it on connectors from on-premises servers that are
     * not Exchange 2010 or later (Exchange 2007, non-Microsoft servers), in
     * organisations with Exchange Online mailboxes.
     */
    const treatAsInternal = server.kind !== 'exchange-2010-or-later' && hasBob;
    // From your server to Office 365: identify the server by certificate (preferred) or by IP.
    const inSpec: InboundSpec = inboundSpec({
      type: 'OnPremises', senderDomains: ['*'],
      ...(server.certificateName ? { senderCertificateName: server.certificateName, requireTls: true } : { senderIpAddresses: [...server.publicIps] }),
      treatMessagesAsInternal: treatAsInternal,
    });
    const inWarnings: ConnectorProblem[] = [];
    const inProblems: ConnectorProblem[] = [];
    if (!server.certificateName && server.publicIps.length === 0) {
      // A connector with neither SenderIPAddresses nor TlsSenderCertificateName identifies nothing: not written as a command.
      inProblems.push({ code: 'OWN_SERVER_NOT_IDENTIFIABLE', message: `${server.name} has neither a certificate name nor public IPs, so an OnPremises inbound connector for it would identify nothing (neither SenderIPAddresses nor TlsSenderCertificateName).`, fix: 'Add the certificate name the server sends with (preferred) or its public IPv4 addresses.' });
    }
    const certProblem = server.certificateName ? certificateNotAccepted(server.certificateName, profile.acceptedDomains) : undefined;
    if (certProblem) inWarnings.push(certProblem);
    connectors.push(draft({
      id: uniqueId(`in-own-${slugName}`), name: `From ${server.name} to Office 365`, kind: 'own-in', ref: server.name, serves: ownServerActor(server.name),
      from: 'own-server', to: 'office365', fromToText: FROM_TO.ownToO365, spec: inSpec,
      reason: (hasJohn
        ? `Mail from mailboxes on ${server.name} ${[hasBob ? 'to Exchange Online' : '', mxOffice365 ? 'to the Internet (relayed through Office 365)' : ''].filter(Boolean).join(' and ') || 'to Office 365'} must be recognised as your organisation's.`
        : `${server.name} relays mail through Office 365; Office 365 must recognise it as your organisation's.`)
        + (treatAsInternal ? ' TreatMessagesAsInternal: Office 365 treats its mail as internal, so anti-spam filtering is skipped for it (the cmdlet\'s advice for servers other than Exchange 2010 or later).' : ''),
      rule: because, optional: false, createdBy: 'you', warnings: inWarnings, problems: inProblems,
    }));

    if (hasJohn) {
      const outSpec: OutboundSpec = outboundSpec({
        type: 'OnPremises', recipientDomains: [...serverDomains], smartHosts: [...server.hostNames], useMxRecord: false, routeAllMessagesViaOnPremises: centralized && hasBob,
        ...(server.certificateName ? { tlsSettings: 'DomainValidation', tlsDomain: server.certificateName } : { tlsSettings: 'CertificateValidation' }),
      });
      const outWarnings: ConnectorProblem[] = [];
      const outProblems: ConnectorProblem[] = [];
      const spaceKey = serverDomains.map(norm).sort().join(' ');
      const first = addressSpaces.get(spaceKey);
      if (first !== undefined) {
        outProblems.push({ code: 'OWN_SERVERS_SAME_ADDRESS_SPACE', message: `${server.name} serves the same domains (${serverDomains.join(', ')}) as ${first}; two OnPremises outbound connectors for one address space contradict each other, and Office 365 would use one of them for all that mail. The plan keeps the connector to ${first}.`, fix: `Use one connector per address space: add ${server.hostNames.join(', ') || server.name} as further smart hosts of the connector to ${first}, or give each server its own domains.` });
      } else addressSpaces.set(spaceKey, server.name);
      if (!server.certificateName) outWarnings.push({ code: 'OWN_SERVER_NO_CERTIFICATE_NAME', message: `${server.name} has no certificate name: Office 365 can check the certificate's chain but not its name.`, fix: 'Install a CA-signed certificate on the server and add its name (TlsDomain) to the profile.' });
      connectors.push(draft({
        id: uniqueId(`out-own-${slugName}`), name: `From Office 365 to ${server.name}`, kind: 'own-out', ref: server.name, serves: ownServerActor(server.name),
        from: 'office365', to: 'own-server', fromToText: FROM_TO.o365ToOwn, spec: outSpec,
        reason: `Mail for mailboxes on ${server.name} (${serverDomains.join(', ') || 'no domains known'}) ${mxOffice365 ? `arriving in Office 365 from the Internet${hasBob ? ' or from Exchange Online' : ''}` : 'sent from Exchange Online'} must be delivered to it.`,
        rule: because, optional: false, createdBy: 'you', warnings: outWarnings, problems: outProblems,
      }));
    }
  }

  for (const partner of profile.partners) connectors.push(...partnerConnectors(partner, decisions, findings, mxOffice365, uniqueId));

  if (profile.outboundGateway) connectors.push(gatewayConnector(profile.outboundGateway, decisions, uniqueId));

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

const EXCHANGE_VERSION_WORDS: Readonly<Record<string, string>> = {
  '2010': 'Exchange 2010', '2013': 'Exchange 2013', '2016': 'Exchange 2016', '2019': 'Exchange 2019', 'subscription-edition': 'Exchange Server Subscription Edition',
};
const THROTTLE_FIX = 'See EAC Reports > Mail flow > Out-of-date connecting on-premises Exchange servers, or run Get-OnPremServerReportInfo. '
  + 'To pause enforcement while you upgrade (at most 90 days a calendar year): New-TenantExemptionInfo -BlockingScenario UnpatchedOnPremServer -NumberOfDays 90.';

/**
 * Since the article (fact sheet §8): Exchange Online throttles (450 4.7.230)
 * and then blocks (550 5.7.230) mail over OnPremises connectors from
 * on-premises Exchange that is out of support or far behind on updates.
 */
function versionFindings(server: OwnServer, findings: Finding[]): void {
  if (server.kind !== 'exchange-2010-or-later') return;
  const version = server.exchangeVersion;
  if (version === undefined) {
    findings.push(planFinding('PLAN_EXCHANGE_VERSION_UNKNOWN', 'info', server.name, `Which Exchange version does ${server.name} run?`,
      'Exchange Online throttles and then blocks mail from out-of-support or out-of-date Exchange servers over the OnPremises connector (4.7.230, then 5.7.230); the plan can warn only when it knows the version.',
      'Add exchangeVersion (2010, 2013, 2016, 2019 or subscription-edition) to the server in the profile.'));
    return;
  }
  if (version === 'subscription-edition') {
    findings.push(planFinding('PLAN_EXCHANGE_KEEP_UPDATED', 'info', server.name, `${server.name} runs Exchange Server Subscription Edition: keep it on current updates.`,
      'Exchange Online throttles (450 4.7.230) and then blocks (550 5.7.230) mail over the OnPremises connector from Exchange servers far behind on updates.', THROTTLE_FIX));
    return;
  }
  findings.push(planFinding('PLAN_EXCHANGE_OUT_OF_SUPPORT', 'warn', server.name, `${server.name} runs ${EXCHANGE_VERSION_WORDS[version] ?? version}, which is out of support: Exchange Online throttles and then blocks its mail.`,
    'Mail over the OnPremises inbound connector from an out-of-support Exchange server gets "450 4.7.230 Connecting Exchange server version is out-of-date; connection to Exchange Online throttled", later "550 5.7.230 … blocked". Exchange Server Subscription Edition is the current version.',
    `Upgrade to Exchange Server Subscription Edition. ${THROTTLE_FIX}`));
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
function hybridExpected(server: OwnServer, serverDomains: readonly string[], row: string, uniqueId: (b: string) => string, centralized: boolean): DraftConnector[] {
  const cert = server.certificateName;
  const inSpec = inboundSpec({ type: 'OnPremises', senderDomains: ['*'], requireTls: true, cloudServicesMailEnabled: true, ...(cert ? { senderCertificateName: cert } : {}) });
  const outSpec = outboundSpec({
    type: 'OnPremises', recipientDomains: [...serverDomains], smartHosts: [...server.hostNames], useMxRecord: false,
    tlsSettings: 'DomainValidation', ...(cert ? { tlsDomain: cert } : {}), cloudServicesMailEnabled: true, routeAllMessagesViaOnPremises: centralized,
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
  decisions.push({ rule: RULES.t1Partners, text: `${partner.name}: partner connectors, required because you asked for these restrictions (the article lists partner connectors as optional: needed only when restrictions are wanted) (${[restrictInbound ? FROM_TO.partnerToO365 : '', restrictOutbound ? FROM_TO.o365ToPartner : ''].filter(Boolean).join('; ')}).${both ? ` TLS is required both ways, so ${partner.name} must have a valid certificate; a certificate signed by a certification authority (CA) is recommended.` : ''}` });
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
      rule: RULES.t1Partners, optional: false, createdBy: 'you', warnings,
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
      rule: RULES.t1Partners, optional: false, createdBy: 'you', warnings,
    }));
  }
  return out;
}

/** TlsSettings (and TlsDomain) for a certificate check as the profile words it. */
function tlsFor(check: Partner['certificateCheck'], certificateName: string | undefined): Pick<OutboundSpec, 'tlsSettings' | 'tlsDomain'> {
  if (check === 'any') return { tlsSettings: 'EncryptionOnly' };
  if (check === 'ca-issued' || !certificateName) return { tlsSettings: 'CertificateValidation' };
  return { tlsSettings: 'DomainValidation', tlsDomain: certificateName };
}

/**
 * All outbound Internet mail through a filtering or archiving service: a
 * Partner outbound connector for every domain (`*`) to the service's smart
 * hosts. Partner connectors for named domains are more specific and still win.
 */
function gatewayConnector(gateway: OutboundGateway, decisions: Decision[], uniqueId: (b: string) => string): DraftConnector {
  const warnings: ConnectorProblem[] = [];
  if (gateway.certificateCheck === 'ca-issued-with-name' && !gateway.certificateName) warnings.push({ code: 'GATEWAY_CERTIFICATE_NAME_MISSING', message: `"CA-issued with a name" is asked for ${gateway.name} but no certificateName is given; the plan checks the CA only.`, fix: 'Add the name on the gateway\'s certificate (certificateName).' });
  decisions.push({ rule: RULES.gateway, text: `${gateway.name}: all outbound Internet mail leaves Office 365 through ${gateway.smartHosts.join(', ')} (one outbound connector for "*"); connectors for named partner domains still take precedence for those domains.` });
  const gatewayRef: ActorRef = { kind: 'gateway', name: gateway.name };
  return draft({
    id: uniqueId(`out-gateway-${slug(gateway.name)}`), name: `From Office 365 to ${gateway.name}`, kind: 'gateway-out', ref: gateway.name, serves: gatewayRef,
    from: 'office365', to: actorId(gatewayRef), fromToText: FROM_TO.o365ToPartner,
    spec: outboundSpec({ type: 'Partner', recipientDomains: ['*'], smartHosts: [...gateway.smartHosts], ...tlsFor(gateway.certificateCheck, gateway.certificateName) }),
    reason: `All outbound Internet mail must go through ${gateway.name} (${gateway.smartHosts.join(', ')}) for filtering or archiving.`,
    rule: RULES.gateway, optional: false, createdBy: 'you', warnings,
  });
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
    // The article calls this connector optional; for a device that must reach external recipients without SMTP AUTH it is the only way, so required.
    rule: RULES.t1Devices + (hasBob ? '' : ' (the article describes it for organisations with all mailboxes in Exchange Online)'), optional: !device.externalRecipients, createdBy: 'you', warnings,
  });
}
