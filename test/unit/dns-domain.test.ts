import { describe, expect, it } from 'vitest';
import { normalizeDomain, parseServer } from '../../src-main/engine/dns';
import { InputError } from '../../src-main/contract/errors';
import { buildQuery, parseReply, parseTlsaRdata } from '../../src-main/engine/dns/wire';
import { reverseName } from '../../src-main/engine/checks/host';

describe('normalizeDomain: domains as users paste them', () => {
  it.each([
    ['contoso.com', 'contoso.com', 'contoso.com'],
    ['Contoso.COM.', 'contoso.com', 'contoso.com'],
    ['  bob@contoso.com ', 'contoso.com', 'contoso.com'],
    ['https://Contoso.com/path?x=1', 'contoso.com', 'contoso.com'],
    ['contoso.com/path', 'contoso.com', 'contoso.com'],
    ['bücher.example', 'xn--bcher-kva.example', 'bücher.example'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example', 'bücher.example'],
    ['_dmarc.contoso.com', '_dmarc.contoso.com', '_dmarc.contoso.com'],
  ])('%s -> %s', (input, ascii, unicode) => {
    expect(normalizeDomain(input)).toEqual({ ascii, unicode });
  });

  it('throws InputError with a one-line reason, control characters escaped', () => {
    expect(() => normalizeDomain('evil\u001b[31m.com')).toThrow(InputError);
    try {
      normalizeDomain('evil\u001b[31m\n.com');
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).not.toContain('\u001b');
      expect((error as Error).message).toContain('\\x1b');
    }
  });
});

describe('parseServer', () => {
  it.each([
    ['1.1.1.1', { host: '1.1.1.1', port: 53 }],
    ['127.0.0.1:5300', { host: '127.0.0.1', port: 5300 }],
    ['[::1]:53', { host: '::1', port: 53 }],
    ['::1', { host: '::1', port: 53 }],
  ])('%s', (text, expected) => expect(parseServer(text)).toEqual(expected));
});

describe('wire format', () => {
  it('builds a query with RD, AD and an EDNS OPT record', () => {
    const query = buildQuery('contoso.com', 'TLSA', 0x1234);
    expect(query.readUInt16BE(0)).toBe(0x1234);
    expect(query[2]! & 0x01).toBe(1); // RD
    expect(query[3]! & 0x20).toBe(0x20); // AD
    expect(query.readUInt16BE(10)).toBe(1); // ARCOUNT: the OPT record
  });

  it('reads TLSA RDATA: usage, selector, matching type, hex data', () => {
    expect(parseTlsaRdata('_25._tcp.mx.contoso.com', 60, Buffer.from('030101abcdef', 'hex'))).toEqual({
      type: 'TLSA', name: '_25._tcp.mx.contoso.com', ttl: 60, usage: 3, selector: 1, matchingType: 1, data: 'abcdef',
    });
    expect(parseTlsaRdata('x', 1, Buffer.from('0301', 'hex'))).toBeUndefined();
  });

  it('refuses a message too short to be DNS', () => {
    expect(() => parseReply(Buffer.from('hello'), 'A')).toThrow();
  });
});

describe('reverseName', () => {
  it('IPv4 and IPv6', () => {
    expect(reverseName('192.0.2.1')).toBe('1.2.0.192.in-addr.arpa');
    expect(reverseName('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
  });
});
