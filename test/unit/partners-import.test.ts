import { describe, expect, it } from 'vitest';
import { InputError } from '../../src-main/contract/errors';
import { parsePartnerList, partnersFromProfile } from '../../src-main/engine/partners/import';

const domains = (text: string, options?: Parameters<typeof parsePartnerList>[1]): string[] => parsePartnerList(text, options).partners.map((p) => p.domain);

describe('partner list import', () => {
  it.each([
    ['CSV with header', 'domain,name,tlsDomain,direction\nbank.example,Bank,mail.bank.example,outbound\n', ['bank.example']],
    ['CSV without header (columns in the documented order)', 'bank.example,Bank\nother.example\n', ['bank.example', 'other.example']],
    ['semicolon delimiter', 'domain;name\nbank.example;Bank; Ltd\n', ['bank.example']],
    ['tab delimiter', 'domain\tname\nbank.example\tBank\n', ['bank.example']],
    ['BOM and CRLF', '\uFEFFdomain,name\r\nbank.example,Bank\r\n', ['bank.example']],
    ['empty lines and comments', '\n\n# partners\nbank.example\n\n\nother.example\n', ['bank.example', 'other.example']],
    ['pasted text: addresses and URLs', 'bob@Bank.Example\nhttps://other.example/path\nthird.example.\n', ['bank.example', 'other.example', 'third.example']],
    ['IDN', 'bücher.example\n', ['xn--bcher-kva.example']],
    ['quoted fields with commas and doubled quotes', 'domain,name,notes\nbank.example,"Bank, ""North""","a, b"\n', ['bank.example']],
    ['header with extra columns', 'id,Domain,Partner\n1,bank.example,Bank\n', ['bank.example']],
  ])('%s', (_label, text, expected) => {
    expect(domains(text)).toEqual(expected);
  });

  it('reads every field of a header CSV, and keeps the unicode form of an IDN', () => {
    const result = parsePartnerList('domain,name,tlsDomain,direction,contact,notes\nbücher.example,"Bücher, AG",*.Bücher.example,inbound,ops@bücher.example,"prio 1"\n');
    expect(result.partners).toEqual([{
      domain: 'xn--bcher-kva.example', domainUnicode: 'bücher.example', name: 'Bücher, AG', tlsDomain: '*.xn--bcher-kva.example',
      direction: 'inbound', contact: 'ops@bücher.example', notes: 'prio 1', line: 2,
    }]);
    expect(parsePartnerList('domain,name,"quoted ""x"""\nbank.example,B,"x"\n').partners[0]?.name).toBe('B');
  });

  it('merges duplicates: first line wins, later lines fill gaps, inbound + outbound = both', () => {
    const result = parsePartnerList('domain,name,direction,contact\nbank.example,Bank,inbound,\nBANK.example.,Other,outbound,ops@bank.example\nbob@bank.example,,inbound,\n');
    expect(result.duplicatesMerged).toBe(2);
    expect(result.partners).toEqual([{ domain: 'bank.example', domainUnicode: 'bank.example', name: 'Bank', direction: 'both', contact: 'ops@bank.example', line: 2 }]);
  });

  it('rejects each bad line with its number and reason, keeping every good line', () => {
    const result = parsePartnerList([
      'domain,name,tlsDomain,direction',
      'good.example,Good,,',
      'not a domain,Bad,,',
      '10.0.0.1,IP,,',
      'bank.example,Bank,mail.*.example,',
      'nodot,X,,',
      'ok.example,OK,,sideways',
      'quote.example,"unclosed,,',
      'late.example,"x"y,,',
      'fine.example,,,outbound',
    ].join('\n'));
    expect(result.partners.map((p) => p.domain)).toEqual(['good.example', 'fine.example']);
    expect(result.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(result.rejected.map((r) => r.reason)).toEqual([
      expect.stringContaining('spaces'),
      expect.stringContaining('IP address'),
      expect.stringContaining('tlsDomain: "mail.*.example": a wildcard is allowed only as the whole first part'),
      expect.stringContaining('not a full domain name'),
      'direction "sideways" is not inbound, outbound or both',
      'a quoted field is not closed (a " is missing)',
      'text after a closing quote ("y")',
    ]);
  });

  it('says when the header uses a delimiter it does not know, and rejects the rows', () => {
    const result = parsePartnerList('domain|name\nbank.example|Bank\n');
    expect(result.warnings).toEqual([expect.stringContaining('separated by "|"')]);
    expect(result.partners).toEqual([]);
    expect(result.rejected).toEqual([
      { line: 1, text: 'domain|name', reason: expect.stringContaining('characters a domain name cannot have') },
      { line: 2, text: 'bank.example|Bank', reason: expect.stringContaining('characters a domain name cannot have') },
    ]);
  });

  it('rejects a 5 MB line without parsing it, and reads the lines around it', () => {
    const result = parsePartnerList(`a.example\n${'x'.repeat(5 * 1024 * 1024)}\nb.example\n`, { format: 'text' });
    expect(result.partners.map((p) => p.domain)).toEqual(['a.example', 'b.example']);
    expect(result.rejected).toEqual([{ line: 2, text: expect.any(String), reason: 'the line is 5242880 characters long; at most 4096 are read' }]);
    expect(result.rejected[0]!.text.length).toBeLessThanOrEqual(200);
  });

  it('caps the list: 100,000 lines give 20,000 partners, the rest counted as rejected', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `p${i}.example`).join('\n');
    const result = parsePartnerList(text);
    expect(result.partners).toHaveLength(20_000);
    expect(result.rejected).toHaveLength(1000);
    expect(result.rejected[0]).toEqual({ line: 20_001, text: 'p20000.example', reason: 'the list already has 20000 partners, the most one list may hold' });
    expect(result.rejectedNotListed).toBe(79_000);
  });

  it('refuses binary data and oversized input with one clear error', () => {
    expect(() => parsePartnerList('PK\u0003\u0004\u0000\u0000binary')).toThrow(new InputError('The partner list contains NUL bytes: it looks like binary data, not text; give a CSV or text file (UTF-8).'));
    expect(() => parsePartnerList(`bank.example\n${'\ufffd\u0001'.repeat(40)}`)).toThrow(/not readable text/);
    expect(() => parsePartnerList('a'.repeat(9 * 1024 * 1024))).toThrow(/at most 8 MB/);
  });

  it('shows control characters of a rejected line as escapes', () => {
    const result = parsePartnerList('bad\u001b[31m.example\n', { format: 'text' });
    expect(result.rejected[0]!.text).toBe('bad\\u{1b}[31m.example');
  });

  it('takes the partners of a profile, with the TLS asked for', () => {
    const result = partnersFromProfile({
      partners: [
        { name: 'Bank', domains: ['bank.example', 'bank.example'], requireTlsInbound: false, requireTlsOutbound: true, certificateCheck: 'ca-issued-with-name', certificateName: 'mail.bank.example', ipRanges: [], smartHosts: [] },
        { name: 'Other', domains: ['other.example'], requireTlsInbound: true, requireTlsOutbound: true, certificateCheck: 'ca-issued', ipRanges: [], smartHosts: [] },
      ],
    });
    expect(result.format).toBe('profile');
    expect(result.duplicatesMerged).toBe(1);
    expect(result.partners).toEqual([
      { domain: 'bank.example', domainUnicode: 'bank.example', name: 'Bank', tlsDomain: 'mail.bank.example', direction: 'outbound', line: 1 },
      { domain: 'other.example', domainUnicode: 'other.example', name: 'Other', direction: 'both', line: 2 },
    ]);
  });
});
