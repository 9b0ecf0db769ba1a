import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeMessage } from '../../src-main/engine/message/index';
import { NDR_CODES } from '../../src-main/engine/message/reference';
import { parseProfile } from '../../src-main/planner/index';
import { bytes, deliveryStatusReport, exchangeNdrText } from '../support/messages';

/**
 * The NDR decoder: every code the issue lists (and the fact sheet's other
 * connector and TLS codes), as Exchange Online's human-readable text and as an
 * RFC 3464 delivery-status report, explained from the reference table with
 * the host a probe would confirm it on.
 */
const profile = parseProfile(readFileSync(fileURLToPath(new URL('../../examples/john-bob-sun.json', import.meta.url)), 'utf8'), 'john-bob-sun.json');

/** A reply as each server writes it, per code; `title` is what the explanation must say. */
const CASES: ReadonlyArray<{ code: string; reply: string; title: RegExp; probe?: { kind: 'host' | 'domain'; target: string }; remote?: string }> = [
  { code: '4.4.317', reply: '450 4.4.317 Cannot connect to remote server [Message=SubjectMismatch] [LastAttemptedServerName=mx1.contosobank.com]', title: /TLS required/, remote: 'mx1.contosobank.com', probe: { kind: 'host', target: 'mx1.contosobank.com' } },
  { code: '5.7.64', reply: '550 5.7.64 TenantAttribution; Relay Access Denied ATTR36 [AM0EUR02FT012.eop-EUR02.prod.protection.outlook.com]', title: /Relay Access Denied/, probe: { kind: 'host', target: 'mail.contoso.com' } },
  { code: '4.4.316', reply: '450 4.4.316 Connection refused [Message=Socket error code 10061]', title: /Connection refused/, remote: 'mx1.contosobank.com', probe: { kind: 'host', target: 'mx1.contosobank.com' } },
  { code: '5.7.51', reply: '550 5.7.51 TenantInboundAttribution; Rejecting. [AM0EUR02FT012.eop-EUR02.prod.protection.outlook.com]', title: /TenantInboundAttribution/ },
  { code: '5.4.1', reply: '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [AM0EUR02FT012.eop-EUR02.prod.protection.outlook.com]', title: /Access denied/ },
  { code: '5.7.708', reply: '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.', title: /not accepted from this IP/ },
  { code: '5.7.750', reply: '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains.', title: /unregistered domains/ },
  { code: '4.7.230', reply: '450 4.7.230 Connecting Exchange server version is out-of-date; connection to Exchange Online throttled for 5 mins/hr.', title: /throttled/, probe: { kind: 'host', target: 'mail.contoso.com' } },
  { code: '5.7.230', reply: '550 5.7.230 Connecting Exchange server version is out-of-date; connection to Exchange Online blocked.', title: /blocked/, probe: { kind: 'host', target: 'mail.contoso.com' } },
  { code: '4.4.312', reply: '450 4.4.312 DNS query failed', title: /DNS lookup/, remote: 'smarthost.contosobank.com', probe: { kind: 'host', target: 'smarthost.contosobank.com' } },
  { code: '4.4.315', reply: '450 4.4.315 Connection timed out', title: /timed out/, probe: { kind: 'domain', target: 'contosobank.com' } },
  { code: '4.4.318', reply: '450 4.4.318 Connection was closed abruptly', title: /closed abruptly/, remote: 'mx1.contosobank.com', probe: { kind: 'host', target: 'mx1.contosobank.com' } },
  { code: '4.7.320', reply: '450 4.7.320 Certificate validation failed', title: /Certificate validation/, remote: 'mx1.contosobank.com', probe: { kind: 'host', target: 'mx1.contosobank.com' } },
  { code: '4.7.321', reply: '450 4.7.321 starttls-not-supported: Destination mail server must support TLS to receive mail.', title: /STARTTLS not offered/ },
  { code: '4.7.322', reply: '450 4.7.322 certificate-expired: Destination mail server\'s certificate is expired.', title: /expired/ },
  { code: '4.7.323', reply: '450 4.7.323 tlsa-invalid: The domain failed DANE validation.', title: /TLSA/ },
  { code: '4.7.324', reply: '450 4.7.324 dnssec-invalid: Destination domain returned invalid DNSSEC records.', title: /DNSSEC/ },
  { code: '4.7.325', reply: '450 4.7.325 certificate-host-mismatch: Remote certificate MUST have a common name or subject alternative name matching the hostname (DANE).', title: /host name mismatch/ },
  { code: '4.7.5', reply: '454 4.7.5 The certificate specified in TlsCertificateName of the SendConnector could not be found.', title: /certificate problem/, probe: { kind: 'host', target: 'mail.contoso.com' } },
  { code: '4.4.62', reply: '451 4.4.62 Mail sent to the wrong Office 365 region. ATTR35.', title: /ATTR35/ },
  { code: '4.7.500', reply: '451 4.7.500 Server busy. Please try again later from [203.0.113.25]. (AS761)', title: /Throttled/ },
  { code: '5.7.606', reply: '550 5.7.606 Access denied, banned sending IP [203.0.113.25].', title: /banned/ },
  { code: '5.7.511', reply: '550 5.7.511 Access denied, banned sender [203.0.113.25].', title: /banned/ },
  { code: '5.7.57', reply: '530 5.7.57 Client not authenticated to send mail.', title: /not authenticated/ },
  { code: '5.7.3', reply: '535 5.7.3 Authentication unsuccessful', title: /authentication unsuccessful/ },
  { code: '5.7.60', reply: '550 5.7.60 SMTP; Client does not have permissions to send as this sender.', title: /sender not allowed/ },
  { code: '4.7.66', reply: '421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support TLS 1.2.', title: /TLS 1\.0\/1\.1/ },
  { code: '5.7.68', reply: '550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from unauthorized sources', title: /Direct send/ },
];

describe('NDR decoder', () => {
  it('covers every code the issue lists', () => {
    const codes = new Set(NDR_CODES.map((r) => r.code));
    for (const code of ['4.4.317', '5.7.64', '4.4.316', '5.7.51', '5.4.1', '5.7.708', '5.7.750', '4.7.230', '5.7.230']) expect(codes.has(code)).toBe(true);
    expect(CASES.length).toBeGreaterThanOrEqual(NDR_CODES.length - 10);
  });

  for (const c of CASES) {
    it(`explains ${c.code} from Exchange Online's NDR text`, async () => {
      const text = exchangeNdrText(c.reply, c.remote ? { remoteServer: c.remote } : {});
      const analysis = await analyzeMessage(bytes(text), { profile });
      const ndr = analysis.ndr!;
      expect(analysis.source.kind).toBe('ndr-text');
      expect(ndr.format).toBe('exchange-text');
      expect(ndr.status).toBe(c.code);
      expect(ndr.reply).toBe(c.reply);
      expect(ndr.generatingServer).toBe('DB9PR01MB1234.eurprd01.prod.exchangelabs.com');
      expect(ndr.recipients.map((r) => r.address)).toEqual(['alice@contosobank.com']);
      expect(ndr.explanation?.title).toMatch(c.title);
      expect(ndr.explanation?.fix.length).toBeGreaterThan(20);
      expect(ndr.explanation?.involves.length).toBeGreaterThan(5);
      if (c.probe) expect(ndr.probe).toMatchObject(c.probe);
      expect(analysis.flags[0]?.code).toBe(`NDR_${c.code.replace(/\./g, '_')}`);
      // The hops are the original message's (Bob's submission), from the headers under the report.
      expect(analysis.hops.map((h) => h.with)).toEqual(['mapi']);
    });

    it(`explains ${c.code} from an RFC 3464 delivery-status report`, async () => {
      const analysis = await analyzeMessage(bytes(deliveryStatusReport(c.code, c.reply, c.remote ? { remoteMta: c.remote } : {})), { fileName: 'ndr.eml', profile });
      const ndr = analysis.ndr!;
      expect(ndr.format).toBe('rfc3464');
      expect(ndr.status).toBe(c.code);
      expect(ndr.generatingServer).toBe('DB9PR01MB1234.eurprd01.prod.exchangelabs.com');
      expect(ndr.recipients).toEqual([{ address: 'alice@contosobank.com', status: c.code, action: 'failed', diagnostic: c.reply }]);
      expect(ndr.explanation?.title).toMatch(c.title);
      if (c.remote) expect(ndr.remoteServer).toBe(c.remote);
      if (c.probe) expect(ndr.probe).toMatchObject(c.probe);
      expect(analysis.subject).toBe('Statement request');
    });
  }

  it('reads the permanent form of a temporary code (5.4.316 after the retries of 4.4.316)', async () => {
    const analysis = await analyzeMessage(bytes(exchangeNdrText('550 5.4.316 Message expired, connection refused(Socket error code 10061)', { remoteServer: 'mx1.contosobank.com' })));
    expect(analysis.ndr?.status).toBe('5.4.316');
    expect(analysis.ndr?.explanation?.title).toBe('Connection refused');
    expect(analysis.ndr?.explanation?.meaning).toContain('permanent form of 4.4.316');
    expect(analysis.ndr?.probe).toEqual({ kind: 'host', target: 'mx1.contosobank.com', why: expect.stringContaining('mx1.contosobank.com') });
  });

  it('reads the newer "Error Details" NDR layout and a bare pasted reply', async () => {
    const newer = ['Your message to alice@contosobank.com couldn\'t be delivered.', 'Error Details', 'Reported error: 550 5.7.64 TenantAttribution; Relay Access Denied ATTR36', 'DSN generated by: AM0PR01MB1234.eurprd01.prod.exchangelabs.com', 'Remote server: AM0EUR02FT012.mail.protection.outlook.com'].join('\n');
    const a = await analyzeMessage(bytes(newer));
    expect(a.ndr).toMatchObject({ status: '5.7.64', generatingServer: 'AM0PR01MB1234.eurprd01.prod.exchangelabs.com', reply: '550 5.7.64 TenantAttribution; Relay Access Denied ATTR36' });
    const bare = await analyzeMessage(bytes('550 5.7.51 TenantInboundAttribution; Rejecting.'));
    expect(bare.ndr?.explanation?.code).toBe('5.7.51');
  });

  it('gives an unknown code its RFC 3463 class instead of inventing a meaning', async () => {
    const a = await analyzeMessage(bytes(exchangeNdrText('550 5.2.2 mailbox full')));
    expect(a.ndr?.explanation).toMatchObject({ code: '5.2.2', source: 'RFC 3463 (enhanced status codes)' });
    expect(a.ndr?.explanation?.title).toContain('mailbox');
    expect(a.ndr?.probe).toBeUndefined();
  });

  it('does not take an ordinary message that talks about delivery for a report', async () => {
    const a = await analyzeMessage(bytes('Subject: Re: parcel\r\nFrom: a@b.example\r\n\r\nThe parcel could not be delivered on Monday; Undeliverable items go back to the depot.\r\n'));
    expect(a.ndr).toBeUndefined();
  });

  it('does not mistake an Exchange build or an IP address for a status code', async () => {
    const a = await analyzeMessage(bytes(exchangeNdrText('550 Rejected by 15.20.8700.12 at 5.7.64.10')));
    expect(a.ndr?.status).toBeUndefined();
  });
});
