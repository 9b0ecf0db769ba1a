import type { PartnerResult } from '../contract/partners';
import { psCommand, psComment, psCreateBlock, type PsValue } from './powershell';

/**
 * The .ps1 of a partner run: partner connectors with the settings the test
 * verified, created only when no connector of that name exists (safe to run
 * twice), every value single-quoted by `psQuote`. Connectors that would fail
 * are written commented out, with the reason, so the admin sees what is
 * missing and can enable them once the partner has fixed it.
 *
 * Written as a head, one block per partner and no foot, so a list of any
 * length streams. The caller writes the file UTF-8 with BOM (Windows
 * PowerShell 5.1 reads BOM-less files as the ANSI code page).
 */
export function partnerScriptHead(partnerCount: number, generatedAt: Date): string {
  return [
    `# Mailflow Doctor: partner connectors from a TLS test of ${partnerCount} partner domain(s), ${generatedAt.toISOString()}`,
    '# Run in Exchange Online PowerShell after Connect-ExchangeOnline.',
    '# Safe to run twice: each connector is created only when no connector with its name exists;',
    '# existing connectors are never changed. Connectors that the test showed would fail are commented out.',
    '#Requires -Version 5.1',
    "$ErrorActionPreference = 'Stop'",
    '',
    '',
  ].join('\n');
}

interface Connector {
  readonly cmdlet: 'New-InboundConnector' | 'New-OutboundConnector';
  readonly name: string;
  readonly parameters: Readonly<Record<string, PsValue>>;
  readonly why: string;
  /** Set when the connector would fail: it is written commented out. */
  readonly wouldFail?: string;
}

function connectorsFor(r: PartnerResult): Connector[] {
  const label = r.name ? `${r.name} (${r.domainUnicode})` : r.domainUnicode;
  const out: Connector[] = [];
  const reachable = r.status !== 'unreachable' && r.status !== 'no-mail';
  if (r.direction !== 'inbound') {
    const { DomainValidation: dv, CertificateValidation: cv, EncryptionOnly: eo } = r.readiness;
    const name = `From Office 365 to ${label}`;
    const base = { ConnectorType: 'Partner', RecipientDomains: [r.domain], UseMXRecord: true } as const;
    if (r.tlsDomain || (dv.verdict === 'pass' && dv.value)) {
      const tlsDomain = r.tlsDomain ?? dv.value ?? '';
      out.push({
        cmdlet: 'New-OutboundConnector', name, parameters: { ...base, TlsSettings: 'DomainValidation', TlsDomain: tlsDomain },
        why: `Mail to ${r.domainUnicode} only over TLS with a certificate that validates and names ${tlsDomain}.`,
        ...(dv.verdict === 'pass' && reachable ? {} : { wouldFail: reachable ? dv.reason : r.summary }),
      });
    } else {
      out.push({
        cmdlet: 'New-OutboundConnector', name, parameters: { ...base, TlsSettings: 'CertificateValidation' },
        why: `Mail to ${r.domainUnicode} only over TLS with a certificate that validates.`,
        ...(cv.verdict === 'pass' && reachable ? {} : { wouldFail: reachable ? (eo.verdict === 'fail' ? eo.reason : cv.reason) : r.summary }),
      });
    }
  }
  if (r.direction !== 'outbound') {
    const name = `From ${label} to Office 365`;
    const { TlsSenderCertificateName: byCert, SenderIPAddresses: byIp, EncryptionOnly: eo } = r.readiness;
    const base = { ConnectorType: 'Partner', SenderDomains: [r.domain], RequireTls: true } as const;
    if (byCert.verdict === 'pass' && byCert.value) {
      out.push({
        cmdlet: 'New-InboundConnector', name, parameters: { ...base, RestrictDomainsToCertificate: true, TlsSenderCertificateName: byCert.value },
        why: `Mail from ${r.domainUnicode} must arrive over TLS from a server presenting a certificate for ${byCert.value} (assumes the partner sends with its MX certificate; confirm with the partner).`,
        ...(reachable ? {} : { wouldFail: r.summary }),
      });
    } else if (byIp.verdict === 'pass' && byIp.values && byIp.values.length > 0) {
      out.push({
        cmdlet: 'New-InboundConnector', name, parameters: { ...base, RequireTls: eo.verdict === 'pass', RestrictDomainsToIPAddresses: true, SenderIPAddresses: byIp.values },
        why: `Mail from ${r.domainUnicode} must come from the addresses its SPF record authorises${eo.verdict === 'pass' ? ', over TLS' : ''}.`,
      });
    } else {
      out.push({
        cmdlet: 'New-InboundConnector', name, parameters: { ...base, RestrictDomainsToCertificate: true, TlsSenderCertificateName: r.tlsDomain ?? `<certificate name of ${r.domain}>` },
        why: `Mail from ${r.domainUnicode} restricted to the partner's certificate.`,
        wouldFail: `${byCert.reason} ${byIp.reason}`,
      });
    }
  }
  return out;
}

export function partnerScriptBlock(r: PartnerResult): string {
  const lines: string[] = [
    `# ${'-'.repeat(70)}`,
    `# ${psComment(r.name ? `${r.name} (${r.domainUnicode})` : r.domainUnicode)}: ${psComment(r.statusWords)}; checked ${psComment(r.checkedAt)}`,
  ];
  for (const c of connectorsFor(r)) {
    const command = psCommand(c.cmdlet, c.name, c.parameters);
    lines.push(`# ${psComment(c.why)}`);
    if (c.wouldFail) {
      lines.push(`# NOT CREATED: the test shows this connector would fail: ${psComment(c.wouldFail)}`);
      lines.push('# Enable it once the partner has fixed this and a new check passes:');
      lines.push(`# ${command}`);
    } else {
      lines.push(psCreateBlock(c.cmdlet, c.name, command));
    }
  }
  return `${lines.join('\n')}\n\n`;
}
