import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src-main/contract/errors';
import { ExistingConnectorSchema } from '../../src-main/contract/planner';
import { addressSpaceDomain, importConnectors, MAX_ITEMS, MAX_VALUES_PER_FILE } from '../../src-main/planner/import';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/connectors/${name}`, import.meta.url)));
const importFixture = (name: string) => importConnectors(name, fixture(name));

function importError(name: string, data: Uint8Array | string = fixture(name)): InputError {
  try {
    importConnectors(name, data);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`${name} was imported but should have been refused`);
}

describe('importing connector exports', () => {
  it('reads PowerShell 7 inbound exports: AddressSpace domains, certificate names, disabled connectors', () => {
    const list = importFixture('ps7-inbound.json');
    expect(list).toHaveLength(3);
    for (const c of list) expect(ExistingConnectorSchema.parse(c)).toEqual(c);
    const [own, bank, fax] = list;
    expect(own).toMatchObject({ direction: 'inbound', name: 'From EX2013 to Office 365', connectorType: 'OnPremises', senderDomains: ['*'], requireTls: true, tlsSenderCertificateName: 'mail.contoso.com', enabled: true, whenCreatedUtc: '2023-11-14T22:13:20.000Z' });
    expect(bank).toMatchObject({ connectorType: 'Partner', senderDomains: ['contosobank.com'], requireTls: false, comment: '' });
    expect(fax).toMatchObject({ enabled: false, senderIpAddresses: ['198.51.100.77'] });
    expect(own?.importNotes).toEqual([]);
  });

  it('reads PowerShell 7 outbound exports with smart hosts, TLS settings and validation fields', () => {
    const [own, bank] = importFixture('ps7-outbound.json');
    expect(own).toMatchObject({ direction: 'outbound', connectorType: 'OnPremises', useMxRecord: false, smartHosts: ['mail.contoso.com'], tlsSettings: 'DomainValidation', tlsDomain: 'mail.contoso.com', recipientDomains: ['onprem.contoso.com'] });
    expect(bank).toMatchObject({ connectorType: 'Partner', useMxRecord: true, tlsSettings: 'CertificateValidation', tlsDomain: undefined, testMode: false });
  });

  it('reads a Windows PowerShell 5.1 UTF-16LE file with a BOM holding ONE object, integer enums and /Date(ms)/ dates', () => {
    const bytes = fixture('ps51-hybrid-inbound-utf16.json');
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
    const list = importConnectors('ps51-hybrid-inbound-utf16.json', bytes);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      direction: 'inbound', name: 'Inbound from 3f9a1c2e-7b4d-4e5f-9a8b-1c2d3e4f5a6b', connectorType: 'OnPremises', connectorSource: 'HybridWizard',
      cloudServicesMailEnabled: true, requireTls: true, senderDomains: ['*'], whenCreatedUtc: new Date(1700000000000).toISOString(), whenChangedUtc: new Date(1709630504000).toISOString(),
    });
    // The numeric enum reading is an assumption, and says so.
    expect(list[0]?.importNotes.join(' ')).toMatch(/ConnectorType was the number 1, read as OnPremises/);
  });

  it('reads a UTF-8 file with a BOM, integer TlsSettings and PS 5.1 date objects ({ value: "/Date(ms)/" })', () => {
    const bytes = fixture('ps51-hybrid-outbound-utf8bom.json');
    expect([bytes[0], bytes[1], bytes[2]]).toEqual([0xef, 0xbb, 0xbf]);
    const [c] = importConnectors('x.json', bytes);
    expect(c).toMatchObject({ direction: 'outbound', tlsSettings: 'DomainValidation', connectorSource: 'HybridWizard', whenChangedUtc: new Date(1709630504000).toISOString() });
  });

  it('reads an ANSI (Windows-1252) file as Windows PowerShell 5.1 Set-Content writes it', () => {
    const [c] = importFixture('ps51-ansi-inbound.json');
    expect(c).toMatchObject({ name: 'Relais Café Ost', senderIpAddresses: ['203.0.113.0/24'] });
  });

  it('accepts text (as the app passes it) with a leading BOM, and an empty export as no connectors', () => {
    const text = `\uFEFF${readFileSync(new URL('../fixtures/connectors/ps7-outbound.json', import.meta.url), 'utf8')}`;
    expect(importConnectors('t.json', text)).toHaveLength(2);
    expect(importFixture('empty.json')).toEqual([]);
    expect(importConnectors('null.json', 'null')).toEqual([]);
  });

  it('turns AddressSpace strings into domains', () => {
    expect(addressSpaceDomain('smtp:*;1')).toBe('*');
    expect(addressSpaceDomain('SMTP:contoso.com;10')).toBe('contoso.com');
    expect(addressSpaceDomain('smtp:*.fabrikam.com;1')).toBe('*.fabrikam.com');
    expect(addressSpaceDomain('contoso.com')).toBe('contoso.com');
  });

  const broken: ReadonlyArray<[string, RegExp]> = [
    ['broken-truncated.json', /^broken-truncated\.json: not valid JSON/],
    ['broken-bad-bool.json', /^broken-bad-bool\.json, item 2 \("ContosoBank inbound"\), RequireTls: expected true or false, found "yes"$/],
    ['broken-unknown-enum.json', /item 1 \("From EX2013 to Office 365"\), ConnectorType: unknown value "Hybrid"/],
    ['broken-not-connectors.json', /item 1: expected a connector object, found "contoso\.com"/],
    ['broken-no-name.json', /item 1, Name: missing/],
    ['broken-mixed-directions.json', /item 1 .*has both inbound .* and outbound/],
    ['broken-bad-date.json', /WhenChangedUTC: expected a date, found "yesterday"/],
    ['broken-utf16-odd-length.json', /not valid UTF-16LE text/],
  ];
  it.each(broken)('refuses %s with one line naming the file, item and property', (name, pattern) => {
    const error = importError(name);
    expect(error.message).toMatch(pattern);
    expect(error.message).not.toContain('\n');
    expect(error.where).toContain(name);
  });

  it('is all or nothing: a good first connector does not come back when the second is broken', () => {
    // broken-bad-bool.json has a valid first item; nothing is returned, the call throws.
    expect(() => importFixture('broken-bad-bool.json')).toThrow(InputError);
  });

  it('refuses items that are neither inbound nor outbound, and a non-boolean Enabled', () => {
    expect(importError('a.json', '[{"Name":"x","ConnectorType":"Partner"}]').message).toMatch(/cannot tell an inbound from an outbound/);
    expect(importError('b.json', '{"Name":"x","ConnectorType":"Partner","SenderDomains":["a.com"],"Enabled":3}').message).toMatch(/Enabled: expected true or false, found number 3/);
    expect(importError('c.json', '{"Name":"x","SenderDomains":["a.com"]}').message).toMatch(/ConnectorType: missing/);
    expect(importError('d.json', '{"Name":"x","ConnectorType":"Partner","SenderDomains":[{"weird":1}]}').message).toMatch(/SenderDomains\[0\]: expected text, found an object/);
  });

  it('refuses files above the size limit before parsing', () => {
    const big = new Uint8Array(8 * 1024 * 1024 + 1).fill(0x20);
    expect(importError('big.json', big).message).toMatch(/larger than 8 MB/);
  });
});

describe('import caps (security issue item 2)', () => {
  it('refuses more connectors or more domains per file than it reads, with a clear message', () => {
    const many = JSON.stringify(Array.from({ length: MAX_ITEMS + 1 }, (_, i) => ({ Name: `c${i}`, ConnectorType: 'Partner', RecipientDomains: ['a.example'] })));
    expect(() => importConnectors('many.json', many)).toThrow(/many\.json: 1001 items; at most 1000 connectors are read/);
    const half = MAX_VALUES_PER_FILE / 2 + 1;
    const big = JSON.stringify([0, 1].map((n) => ({ Name: `big${n}`, ConnectorType: 'Partner', RecipientDomains: Array.from({ length: half }, (_, i) => `d${i}.example`) })));
    expect(() => importConnectors('big.json', big)).toThrow(/big\.json: its 2 connectors hold 100,002 domains, addresses and smart hosts; at most 100,000 are read from one file/);
    // The security review's case (two connectors of 26,000 domains) is read.
    const review = JSON.stringify([0, 1].map((n) => ({ Name: `p${n}`, ConnectorType: 'Partner', RecipientDomains: Array.from({ length: 26_000 }, (_, i) => `d${i}.example`) })));
    expect(importConnectors('review.json', review)).toHaveLength(2);
  });
});

describe('Windows PowerShell 5.1 exports in the ANSI code page', () => {
  it('reads Windows-1252 quotes as themselves, not as control characters', () => {
    // `ConvertTo-Json | Out-File -Encoding Default` on a Western European system: ’ is the single byte 0x92.
    const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
    const ansi = new Uint8Array([...ascii('[{"Name":"Partner'), 0x92, ...ascii('s inbound","Enabled":true,"ConnectorType":"Partner","SenderDomains":["smtp:bank.example;1"]}]')]);
    const [connector] = importConnectors('ansi.json', ansi);
    expect(connector?.name).toBe('Partner’s inbound');
  });
});
