import type { PsValue } from './powershell';
import { certificateNameRule, domainPatternRule, publicIpv4RangeRule, quoteValue, smartHostRule } from '../contract/rules';

/**
 * The cmdlets' own constraints (fact sheet §1), checked before a command is
 * written: a command the cmdlet would refuse is reported, not emitted.
 */
export interface ConnectorProblem {
  readonly code: string;
  readonly message: string;
  readonly fix: string;
}

export const MAX_CONNECTOR_NAME = 64;

/** Parameters the two cmdlets take (fact sheet §1), besides -Name. Anything else in a stored plan is refused. */
export const CMDLET_PARAMETERS: Readonly<Record<'New-InboundConnector' | 'New-OutboundConnector', ReadonlySet<string>>> = {
  'New-InboundConnector': new Set([
    'ConnectorType', 'SenderDomains', 'SenderIPAddresses', 'RequireTls', 'RestrictDomainsToCertificate', 'RestrictDomainsToIPAddresses',
    'TlsSenderCertificateName', 'TrustedOrganizations', 'CloudServicesMailEnabled', 'TreatMessagesAsInternal', 'AssociatedAcceptedDomains',
    'EFSkipLastIP', 'EFSkipIPs', 'EFUsers', 'Enabled', 'Comment',
  ]),
  'New-OutboundConnector': new Set([
    'ConnectorType', 'RecipientDomains', 'UseMXRecord', 'SmartHosts', 'TlsSettings', 'TlsDomain', 'IsTransportRuleScoped',
    'RouteAllMessagesViaOnPremises', 'AllAcceptedDomains', 'SenderRewritingEnabled', 'TestMode', 'MtaStsMode', 'SmtpDaneMode',
    'CloudServicesMailEnabled', 'Enabled', 'Comment', 'ValidationRecipients',
  ]),
};

/**
 * Parameters from a stored plan (JSON from a file or the UI) as PowerShell
 * values: only the cmdlet's own parameter names, and only strings, booleans
 * and lists of strings. What does not fit is reported, never written.
 */
export function readStoredParameters(cmdlet: 'New-InboundConnector' | 'New-OutboundConnector', raw: Readonly<Record<string, unknown>>): { parameters: Record<string, PsValue>; problems: ConnectorProblem[] } {
  const parameters: Record<string, PsValue> = {};
  const problems: ConnectorProblem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const known = CMDLET_PARAMETERS[cmdlet].has(key);
    const usable = typeof value === 'string' || typeof value === 'boolean' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    if (known && usable) parameters[key] = value as PsValue;
    else problems.push({ code: 'CONNECTOR_BAD_PARAMETER', message: known ? `${key} has a value ${cmdlet} does not take.` : `"${key.slice(0, 60)}" is not a parameter of ${cmdlet}.`, fix: 'Make the plan again with mailflow-doctor (plan) instead of editing it by hand.' });
  }
  return { parameters, problems };
}

const asList = (v: PsValue | undefined): readonly string[] => (v === undefined || typeof v === 'boolean' ? [] : typeof v === 'string' ? [v] : v);

export function validateConnector(
  cmdlet: 'New-InboundConnector' | 'New-OutboundConnector',
  name: string,
  p: Readonly<Record<string, PsValue>>,
): ConnectorProblem[] {
  const problems: ConnectorProblem[] = [];
  if (name.length > MAX_CONNECTOR_NAME) {
    problems.push({ code: 'CONNECTOR_NAME_TOO_LONG', message: `The name "${name}" has ${name.length} characters; connector names may have at most ${MAX_CONNECTOR_NAME}.`, fix: 'Use a shorter server, partner or device name in the profile.' });
  }
  const domainKey = cmdlet === 'New-InboundConnector' ? 'SenderDomains' : 'RecipientDomains';
  const domains = asList(p[domainKey]);
  if (cmdlet === 'New-InboundConnector' && domains.length === 0) {
    problems.push({ code: 'CONNECTOR_NO_DOMAINS', message: 'New-InboundConnector needs SenderDomains and none are known.', fix: 'Add the partner\'s domains to the profile.' });
  }
  for (const d of domains) {
    // `*` alone is what the Hybrid Configuration Wizard and relay connectors put in SenderDomains.
    // On an outbound connector, `*` is for a gateway that takes all Internet mail by smart host.
    const starAllowed = cmdlet === 'New-InboundConnector' || asList(p['SmartHosts']).length > 0;
    const problem = d.trim() === '*' ? (starAllowed ? undefined : `${quoteValue(d)}: "*" alone (every domain) needs SmartHosts: it is for routing all outbound mail through a gateway`) : domainPatternRule(d);
    if (problem) problems.push({ code: 'CONNECTOR_BAD_DOMAIN', message: `${domainKey}: ${problem}.`, fix: 'Use plain domains or "*.domain" for a domain and its subdomains.' });
  }
  for (const key of ['SenderIPAddresses']) {
    for (const ip of asList(p[key])) {
      const problem = publicIpv4RangeRule(ip);
      if (problem) problems.push({ code: 'CONNECTOR_BAD_IP', message: `${key}: ${problem}.`, fix: 'List IPv4 addresses or ranges from /24 to /32 (split a larger range into /24s).' });
    }
  }
  for (const key of ['TlsSenderCertificateName', 'TlsDomain']) {
    const value = p[key];
    if (typeof value === 'string') {
      const problem = certificateNameRule(value);
      if (problem) problems.push({ code: 'CONNECTOR_BAD_CERTIFICATE_NAME', message: `${key}: ${problem}.`, fix: 'Use the name on the certificate, e.g. mail.contoso.com or *.contoso.com.' });
    }
  }
  for (const host of asList(p['SmartHosts'])) {
    const problem = smartHostRule(host);
    if (problem) problems.push({ code: 'CONNECTOR_BAD_SMART_HOST', message: `SmartHosts: ${problem}.`, fix: 'Give the host name (or public IPv4 address) only; -SmartHosts takes an FQDN, IP address or CIDR range, never a port.' });
  }
  if (cmdlet === 'New-OutboundConnector') {
    if (domains.length === 0 && p['IsTransportRuleScoped'] !== true && p['AllAcceptedDomains'] !== true) {
      problems.push({ code: 'CONNECTOR_NO_DOMAINS', message: 'New-OutboundConnector has no RecipientDomains, so it would carry no mail (an empty list is never written).', fix: 'Add the domains it delivers for (the server\'s domains, or acceptedDomains in the profile).' });
    }
    if (p['UseMXRecord'] === false && asList(p['SmartHosts']).length === 0) {
      problems.push({ code: 'CONNECTOR_NO_SMART_HOSTS', message: 'UseMXRecord is $false but no SmartHosts are given; the cmdlet requires SmartHosts then.', fix: 'Add the host names of the servers to deliver to (hostNames or smartHosts in the profile).' });
    }
    if (p['TlsDomain'] !== undefined && p['TlsSettings'] !== 'DomainValidation') {
      problems.push({ code: 'CONNECTOR_TLSDOMAIN_WITHOUT_DOMAIN_VALIDATION', message: 'TlsDomain is set but TlsSettings is not DomainValidation; TlsDomain only means something with DomainValidation.', fix: 'Use TlsSettings DomainValidation, or drop TlsDomain.' });
    }
    if (p['TlsSettings'] === 'DomainValidation' && p['TlsDomain'] === undefined) {
      problems.push({ code: 'CONNECTOR_DOMAIN_VALIDATION_WITHOUT_TLSDOMAIN', message: 'TlsSettings is DomainValidation but no TlsDomain says which name to expect.', fix: 'Set the certificate name (TlsDomain).' });
    }
  }
  if (cmdlet === 'New-InboundConnector' && p['ConnectorType'] === 'Partner') {
    const hasIps = asList(p['SenderIPAddresses']).length > 0 || p['RestrictDomainsToIPAddresses'] === true;
    const hasCert = p['TlsSenderCertificateName'] !== undefined || p['RestrictDomainsToCertificate'] === true;
    if (hasIps && hasCert) {
      problems.push({ code: 'CONNECTOR_IPS_AND_CERTIFICATE', message: 'One partner connector restricts by both IP addresses and a certificate; Microsoft advises against putting both in one partner connector.', fix: 'Restrict by the certificate (stronger) or by IP addresses, not both.' });
    }
  }
  return problems;
}
