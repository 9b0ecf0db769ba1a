import { describe, expect, it } from 'vitest';
import { PartnerResultSchema, type PartnerResult } from '../../src-main/contract/partners';
import { partnerScriptBlock, partnerScriptHead } from '../../src-main/planner/partner-script';
import { profilePartnerOf } from '../../src-main/planner/partner-profile';
import { PartnerSchema } from '../../src-main/contract/planner';
import { composePartnerMessage } from '../../src-main/report/partner-message';
import { csvCell, partnerCsvHeader, partnerCsvRow, partnerHtmlHead, partnerHtmlSection, partnerJsonLine, PARTNER_REPORT_CSP } from '../../src-main/report/partners';
import { failureClasses, mxResult, partnerResult } from '../support/partner-results';

const classes = failureClasses();
const withMessage = (r: PartnerResult): PartnerResult => ({ ...r, message: composePartnerMessage(r) });

describe('the message to the partner', () => {
  it('is not written for a ready partner', () => {
    expect(composePartnerMessage(partnerResult('ready'))).toBeNull();
  });

  // The texts below were read by a person for tone (polite, technical, what to fix); see the snapshot file.
  it.each(Object.keys(classes))('%s: subject, plain text and Markdown', (name) => {
    const message = composePartnerMessage(classes[name]!)!;
    expect(message.subject).toMatchSnapshot('subject');
    expect(message.text).toMatchSnapshot('text');
    expect(message.markdown).toMatchSnapshot('markdown');
  });

  it('names each MX with its own reason and evidence', () => {
    const split = partnerResult('not-ready', {
      readiness: {
        ...partnerResult('ready').readiness,
        CertificateValidation: {
          direction: 'outbound', verdict: 'fail', reason: 'x', fix: 'Install a valid certificate from a public certificate authority, with its full chain.', ndr: '450 4.7.320',
          hosts: [
            { host: 'mx1.bank.example', address: '192.0.2.10', verdict: 'fail', reason: 'Certificate validation would fail: UntrustedRoot: the certificate is self-signed.' },
            { host: 'mx2.bank.example', address: '192.0.2.20', verdict: 'fail', reason: 'Certificate validation would fail: Expired: a certificate of the chain has expired.' },
          ],
        },
      },
      mx: [mxResult(), mxResult({ host: 'mx2.bank.example', address: '192.0.2.20', preference: 20 })],
    });
    const text = composePartnerMessage(split)!.text.replace(/\s+/g, ' ');
    expect(text).toContain('- mx1.bank.example (192.0.2.10, preference 10): STARTTLS works (TLSv1.3). Certificate validation would fail: UntrustedRoot: the certificate is self-signed.');
    expect(text).toContain('- mx2.bank.example (192.0.2.20, preference 20): STARTTLS works (TLSv1.3). Certificate validation would fail: Expired: a certificate of the chain has expired.');
  });

  it('shows hostile certificate text as text: escaped in Markdown, control characters visible in plain text', () => {
    const hostile = classes['self-signed']!;
    const r = { ...hostile, mx: [mxResult({ certificate: { ...mxResult().certificate!, subject: 'CN=<img src=x onerror=alert(1)>\u001b[31m[link](http://evil)' } })] };
    const message = composePartnerMessage(r)!;
    expect(message.markdown).toContain('CN=\\<img src=x onerror=alert(1)\\>');
    // The brackets are escaped, so no link can form (parentheses need no escape then).
    expect(message.markdown).toContain('\\[link\\](http://evil)');
    expect(message.markdown).not.toContain('\u001b');
    expect(message.text).toContain('\\x1b[31m');
    expect(message.text).not.toContain('\u001b');
  });
});

describe('the .ps1 for the ready partners', () => {
  it('creates verified connectors idempotently and comments out the ones that would fail, saying why', () => {
    const script = [
      partnerScriptHead(3, new Date('2026-11-30T10:00:00Z')),
      partnerScriptBlock(partnerResult('ready', { name: "O'Brien & Sons Bank" })),
      partnerScriptBlock(classes['self-signed']!),
      partnerScriptBlock(classes['wrong name']!),
    ].join('');
    expect(script).toMatchSnapshot();
    expect(script).toContain("#Requires -Version 5.1\n$ErrorActionPreference = 'Stop'");
    expect(script).toContain("if (-not (Get-OutboundConnector | Where-Object { $_.Name -eq 'From Office 365 to O''Brien & Sons Bank (bank.example)' })) {");
    expect(script).toContain("-TlsSettings 'DomainValidation' -TlsDomain 'mx1.bank.example'");
    expect(script).toContain('# NOT CREATED: the test shows this connector would fail: mx1.bank.example (192.0.2.10): Certificate validation would fail');
    expect(script).toContain("# New-OutboundConnector -Name 'From Office 365 to Example Bank (bank.example)' -ConnectorType 'Partner' -RecipientDomains 'bank.example' -UseMXRecord $true -TlsSettings 'CertificateValidation'");
    // Every line that is not a comment belongs to a create block: nothing runs for a failing partner.
    const live = script.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(live.filter((l) => l.startsWith('    New-'))).toHaveLength(1);
  });

  it('restricts an inbound partner by certificate, else by SPF ranges, else writes the connector commented out', () => {
    const inbound = (readiness: Partial<PartnerResult['readiness']>) => partnerScriptBlock(partnerResult('ready', { direction: 'inbound', readiness: { ...partnerResult('ready').readiness, ...readiness } }));
    const byCert = inbound({ TlsSenderCertificateName: { direction: 'inbound', verdict: 'pass', value: 'out.bank.example', reason: '', fix: '', hosts: [] } });
    expect(byCert).toContain("New-InboundConnector -Name 'From Example Bank (bank.example) to Office 365' -ConnectorType 'Partner' -SenderDomains 'bank.example' -RequireTls $true -RestrictDomainsToCertificate $true -TlsSenderCertificateName 'out.bank.example'");
    const byIp = inbound({ TlsSenderCertificateName: { direction: 'inbound', verdict: 'fail', reason: 'no', fix: '', hosts: [] }, SenderIPAddresses: { direction: 'inbound', verdict: 'pass', values: ['40.92.10.0/24', '52.100.1.7'], reason: '', fix: '', hosts: [] } });
    expect(byIp).toContain("-RestrictDomainsToIPAddresses $true -SenderIPAddresses '40.92.10.0/24','52.100.1.7'");
    const none = inbound({ TlsSenderCertificateName: { direction: 'inbound', verdict: 'fail', reason: 'No shared name.', fix: '', hosts: [] }, SenderIPAddresses: { direction: 'inbound', verdict: 'fail', reason: 'No SPF.', fix: '', hosts: [] } });
    expect(none).toContain('# NOT CREATED: the test shows this connector would fail: No shared name. No SPF.');
    expect(none.split('\n').filter((l) => l.startsWith('New-') || l.startsWith('if '))).toEqual([]);
  });
});

describe('CSV, JSON Lines and the HTML evidence report', () => {
  it('CSV: documented columns, quoting, and no formula injection from untrusted text', () => {
    expect(partnerCsvHeader()).toBe('domain,name,direction,status,daysToExpiry,EncryptionOnly,CertificateValidation,DomainValidation,TlsDomain,TlsSenderCertificateName,SenderIPAddresses,mx,summary,checkedAt\r\n');
    expect(partnerCsvRow(partnerResult('ready', { name: '=HYPERLINK("http://evil")' }))).toBe(
      'bank.example,"\'=HYPERLINK(""http://evil"")",outbound,Ready,200,pass,pass,pass,mx1.bank.example,not-applicable,not-applicable,mx1.bank.example (192.0.2.10),Ready.,2026-11-30T09:00:00.000Z\r\n',
    );
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('-3')).toBe("'-3");
  });

  it('JSON Lines: one line per partner that parses back with the stable schema', () => {
    for (const r of Object.values(classes)) {
      const line = partnerJsonLine(withMessage(r));
      expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
      expect(PartnerResultSchema.parse(JSON.parse(line))).toEqual(withMessage(r));
    }
  });

  it('HTML: summary counts, one section per partner, untrusted text escaped, A4 print rules and a strict CSP', () => {
    const hostile = withMessage({ ...classes['self-signed']!, name: '<script>alert(1)</script>', mx: [mxResult({ certificate: { ...mxResult().certificate!, subject: 'CN="><img src=x onerror=alert(1)>' } })] });
    const summary = { total: 2, done: 2, counts: { ready: 1, 'ready-with-warnings': 0, 'not-ready': 1, unreachable: 0, 'no-mail': 0 }, expiringSoon: 0, expiryWindowDays: 30, cancelled: false, probes: 2, probesReused: 0, elapsedMs: 100 };
    const page = partnerHtmlHead(summary, { generatedAt: new Date('2026-11-30T10:00:00Z') }) + partnerHtmlSection(hostile) + partnerHtmlSection(partnerResult('ready'));
    expect(page).toContain(`content="${PARTNER_REPORT_CSP.replace(/'/g, '&#39;')}"`);
    expect(page).toContain('@page { size: A4;');
    expect(page).toContain('<td class="st st-not-ready">1</td>');
    expect(page.match(/<section class="partner"/g)).toHaveLength(2);
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('CN=&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('partners for a planner profile', () => {
  it('takes the ready partners with the settings that were verified, and nothing from the others', () => {
    const ready = profilePartnerOf(partnerResult('ready'));
    expect(PartnerSchema.parse(ready)).toEqual({
      name: 'Example Bank', domains: ['bank.example'], requireTlsInbound: false, requireTlsOutbound: true,
      certificateCheck: 'ca-issued-with-name', certificateName: 'mx1.bank.example', ipRanges: [], smartHosts: [],
    });
    const inbound = profilePartnerOf(partnerResult('ready', {
      direction: 'inbound',
      readiness: { ...partnerResult('ready').readiness, TlsSenderCertificateName: { direction: 'inbound', verdict: 'fail', reason: '', fix: '', hosts: [] }, SenderIPAddresses: { direction: 'inbound', verdict: 'pass', values: ['40.92.10.0/24'], reason: '', fix: '', hosts: [] } },
    }));
    expect(PartnerSchema.parse(inbound)).toMatchObject({ requireTlsInbound: true, requireTlsOutbound: false, ipRanges: ['40.92.10.0/24'] });
    for (const r of Object.values(classes)) if (r.status !== 'ready-with-warnings') expect(profilePartnerOf(r)).toBeNull();
  });
});
