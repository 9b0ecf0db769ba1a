import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { boundAddresses } from '../../src-main/engine/smtp/probe-host';
import { basicConstraintsOf, dnsNameConstraintsOf, keyUsageOf } from '../../src-main/engine/tls/der';
import { createCa, issueCert } from '../support/pki';

describe('boundAddresses', () => {
  it('keeps a short list as it is, without a finding', () => {
    expect(boundAddresses('mx.test', ['192.0.2.1', '2001:db8::1'], 4)).toEqual({ chosen: ['192.0.2.1', '2001:db8::1'], findings: [] });
  });

  it('takes IPv4 and IPv6 in turn up to the bound, and names the rest in SMTP_ADDRESSES_CAPPED', () => {
    const v4 = Array.from({ length: 100 }, (_, i) => `192.0.2.${i + 1}`);
    const { chosen, findings } = boundAddresses('mx.test', [...v4, '2001:db8::1', '2001:db8::2'], 4);
    expect(chosen).toEqual(['192.0.2.1', '2001:db8::1', '192.0.2.2', '2001:db8::2']);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'SMTP_ADDRESSES_CAPPED', subject: 'mx.test', message: 'mx.test has 102 addresses; only 4 were probed (192.0.2.1, 2001:db8::1, 192.0.2.2, 2001:db8::2), 98 left out.' });
    expect(findings[0]?.evidence[1]).toMatch(/and 88 more$/);
  });
});

describe('certificate extensions read from DER', () => {
  it('basicConstraints with its path length, keyUsage bits and dNSName name constraints', () => {
    const root = createCa({ commonName: 'DER Root', keyType: 'ec' });
    const ca = createCa({ commonName: 'DER CA', parent: root, keyType: 'ec', profile: { pathLength: 0, withoutKeyCertSign: true, permittedDns: ['allowed.test'] } });
    const raw = new X509Certificate(ca.certPem).raw;
    expect(basicConstraintsOf(raw)).toEqual({ ca: true, pathLength: 0 });
    expect(keyUsageOf(raw)).toEqual(['digitalSignature', 'cRLSign']);
    expect(dnsNameConstraintsOf(raw)).toEqual({ permitted: ['allowed.test'], excluded: [] });
    const leaf = new X509Certificate(issueCert(root, { commonName: 'mx.der.test', keyType: 'ec' }).certPem).raw;
    expect(basicConstraintsOf(leaf)).toEqual({ ca: false });
    expect(keyUsageOf(leaf)).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(dnsNameConstraintsOf(leaf)).toBeNull();
  });

  it('reads nothing from bytes that are not a certificate, without throwing', () => {
    expect(basicConstraintsOf(Buffer.from('not der'))).toBeNull();
    expect(keyUsageOf(new Uint8Array([0x30, 0x82, 0xff]))).toBeNull();
  });
});
