import type { ConnectorSpec, InboundSpec, OutboundSpec } from '../contract/planner';
import type { PsValue } from './powershell';

/**
 * Connectors as typed values (`ConnectorSpec`) and their rendering as cmdlet
 * parameters. The planner decides in specs; PowerShell, Markdown and the
 * diagram are written from them.
 */

export type Cmdlet = 'New-InboundConnector' | 'New-OutboundConnector';

export function cmdletOf(spec: ConnectorSpec): Cmdlet {
  return spec.direction === 'inbound' ? 'New-InboundConnector' : 'New-OutboundConnector';
}

/** An inbound spec with the defaults Office 365 uses for anything not given. */
export function inboundSpec(fields: Partial<Omit<InboundSpec, 'direction'>> & Pick<InboundSpec, 'type' | 'senderDomains'>): InboundSpec {
  return {
    direction: 'inbound', senderIpAddresses: [], requireTls: false, restrictDomainsToIpAddresses: false, restrictDomainsToCertificate: false,
    treatMessagesAsInternal: false, cloudServicesMailEnabled: false, ...fields,
  };
}

/** An outbound spec with the defaults Office 365 uses for anything not given (delivery by MX, opportunistic TLS). */
export function outboundSpec(fields: Partial<Omit<OutboundSpec, 'direction'>> & Pick<OutboundSpec, 'type' | 'recipientDomains'>): OutboundSpec {
  return { direction: 'outbound', smartHosts: [], useMxRecord: (fields.smartHosts ?? []).length === 0, routeAllMessagesViaOnPremises: false, cloudServicesMailEnabled: false, ...fields };
}

/**
 * The cmdlet parameters (without -Name) that create the connector. Settings
 * at Office 365's default are left out, except RequireTls on a Partner
 * inbound connector and UseMXRecord, which a reader of the script should see
 * either way.
 */
export function cmdletParameters(spec: ConnectorSpec): Record<string, PsValue> {
  const p: Record<string, PsValue> = { ConnectorType: spec.type };
  if (spec.direction === 'inbound') {
    p['SenderDomains'] = [...spec.senderDomains];
    if (spec.senderIpAddresses.length > 0) p['SenderIPAddresses'] = [...spec.senderIpAddresses];
    if (spec.restrictDomainsToIpAddresses) p['RestrictDomainsToIPAddresses'] = true;
    if (spec.senderCertificateName !== undefined) {
      if (spec.restrictDomainsToCertificate) p['RestrictDomainsToCertificate'] = true;
      p['TlsSenderCertificateName'] = spec.senderCertificateName;
    }
    if (spec.type === 'Partner' || spec.requireTls) p['RequireTls'] = spec.requireTls;
    if (spec.treatMessagesAsInternal) p['TreatMessagesAsInternal'] = true;
    if (spec.cloudServicesMailEnabled) p['CloudServicesMailEnabled'] = true;
    return p;
  }
  p['RecipientDomains'] = [...spec.recipientDomains];
  p['UseMXRecord'] = spec.useMxRecord;
  if (spec.smartHosts.length > 0) p['SmartHosts'] = [...spec.smartHosts];
  if (spec.tlsSettings !== undefined) p['TlsSettings'] = spec.tlsSettings;
  if (spec.tlsDomain !== undefined) p['TlsDomain'] = spec.tlsDomain;
  if (spec.routeAllMessagesViaOnPremises) p['RouteAllMessagesViaOnPremises'] = true;
  if (spec.cloudServicesMailEnabled) p['CloudServicesMailEnabled'] = true;
  return p;
}

/** TlsSettings in words, for plans and gap messages. */
export function tlsSettingsText(setting: OutboundSpec['tlsSettings']): string {
  if (setting === 'EncryptionOnly') return 'TLS required, any certificate (EncryptionOnly)';
  if (setting === 'CertificateValidation') return 'TLS required with a CA-issued certificate (CertificateValidation)';
  if (setting === 'DomainValidation') return 'TLS required with a CA-issued certificate for a given name (DomainValidation)';
  return 'opportunistic TLS (TlsSettings empty)';
}

const STRENGTH: Readonly<Record<string, number>> = { EncryptionOnly: 1, CertificateValidation: 2, DomainValidation: 3 };

/** How strictly a TlsSettings value checks the receiving server: 0 opportunistic … 3 DomainValidation. */
export function tlsStrength(setting: OutboundSpec['tlsSettings']): number {
  return setting === undefined ? 0 : (STRENGTH[setting] ?? 0);
}
