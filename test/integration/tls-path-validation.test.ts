import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeReport } from '../../src-main/contract/probe';
import { createEngineContext, type EngineContext } from '../../src-main/engine/context';
import { createCa, issueCert, selfSigned, type TestCa, type TestCert } from '../support/pki';
import { startSmtpFixture, type RunningServer } from '../support/smtp-servers';
import { useTempDirs } from '../support/temp-dirs';

/**
 * Certificate path validation against `openssl verify -purpose sslserver`:
 * each crafted chain is served over STARTTLS by smtp-server, probed, and the
 * probe's verdict must agree with OpenSSL's command line on the same files,
 * naming the certificate (depth) and the rule OpenSSL names.
 *
 * `-auth_level 2` is the security level current TLS libraries default to
 * (Debian's OpenSSL, Exchange Online's 2048-bit minimum): it makes OpenSSL
 * refuse RSA-1024 and SHA-1 as the verdict does.
 */
const HOST = 'mx.path.test';
const DAY = 86_400_000;
const timeouts = { connectMs: 3000, bannerMs: 3000, commandMs: 3000, tlsMs: 3000, totalMs: 9000 };
const tempDir = useTempDirs('mailflow-path-');

let root: TestCa;
let intermediate: TestCa;
let context: EngineContext;
const servers: RunningServer[] = [];

beforeAll(() => {
  root = createCa({ commonName: 'Path Test Root', keyType: 'ec' });
  intermediate = createCa({ commonName: 'Path Test Issuing CA', parent: root, keyType: 'ec' });
  context = createEngineContext({ caCertificates: [root.certPem] });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface OpensslVerdict {
  /** Every error OpenSSL lists (it goes on after the first), in order; empty when it verified. */
  readonly errors: readonly { readonly error: number; readonly depth: number }[];
  readonly output: string;
}

/** What `openssl verify -purpose sslserver` says about a leaf and the chain the server sends, trusting only `anchor`. */
function opensslVerify(leaf: TestCert, chain: readonly string[], anchor: string): OpensslVerdict {
  const dir = tempDir();
  writeFileSync(join(dir, 'anchor.pem'), anchor);
  writeFileSync(join(dir, 'chain.pem'), chain.join('') || '\n');
  writeFileSync(join(dir, 'leaf.pem'), leaf.certPem);
  let output: string;
  try {
    output = execFileSync('openssl', ['verify', '-purpose', 'sslserver', '-auth_level', '2', '-no-CApath', '-CAfile', join(dir, 'anchor.pem'), ...(chain.length > 0 ? ['-untrusted', join(dir, 'chain.pem')] : []), join(dir, 'leaf.pem')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
  }
  const errors = [...output.matchAll(/error (\d+) at (\d+) depth lookup/g)].map((m) => ({ error: Number(m[1]), depth: Number(m[2]) }));
  if (errors.length === 0 && !/: OK\s*$/.test(output)) throw new Error(`openssl verify said neither OK nor an error: ${output}`);
  return { errors, output };
}

/** OpenSSL 3's numbers and the names Node's TLS reports for them. */
const OPENSSL_NAMES: Readonly<Record<number, string>> = {
  9: 'CERT_NOT_YET_VALID', 10: 'CERT_HAS_EXPIRED', 18: 'DEPTH_ZERO_SELF_SIGNED_CERT', 19: 'SELF_SIGNED_CERT_IN_CHAIN', 20: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  25: 'PATH_LENGTH_EXCEEDED', 26: 'INVALID_PURPOSE', 32: 'KEYUSAGE_NO_CERTSIGN', 47: 'PERMITTED_VIOLATION', 48: 'EXCLUDED_VIOLATION', 66: 'EE_KEY_TOO_SMALL',
  67: 'CA_KEY_TOO_SMALL', 68: 'CA_MD_TOO_WEAK', 79: 'INVALID_CA', 80: 'PATHLEN_INVALID_FOR_NON_CA',
};

/** The certificate summary that says the same as each OpenSSL verdict. */
function expectedSummary(error: number, presented: number): string {
  switch (error) {
    case 0: return 'trusted';
    case 9: return 'not-yet-valid';
    case 10: return 'expired';
    case 18: return 'self-signed';
    case 19: return 'untrusted-root';
    case 2: case 20: case 21: return presented === 1 ? 'missing-intermediate' : 'untrusted-root';
    case 66: case 67: return 'weak-key';
    case 68: return 'sha1';
    default: return 'invalid-chain';
  }
}

async function probeChain(leaf: TestCert, chain: readonly string[], weakCrypto = false): Promise<ProbeReport> {
  const server = await startSmtpFixture({ name: HOST, key: leaf.keyPem, cert: [leaf.certPem, ...chain].join(''), weakCrypto });
  servers.push(server);
  return context.startRun().probe({ host: HOST, address: server.host, port: server.port, heloName: 'probe.test', timeouts });
}

interface Row {
  readonly name: string;
  readonly make: () => { leaf: TestCert; chain: string[]; anchor?: string; weakCrypto?: boolean };
  /** The OpenSSL verdict the crafted chain is built to produce (so a test PKI change cannot make the table vacuous). */
  readonly openssl: number;
}

const now = Date.now();
const rows: readonly Row[] = [
  { name: 'a well-formed chain', openssl: 0, make: () => ({ leaf: issueCert(intermediate, { commonName: HOST, keyType: 'ec' }), chain: [intermediate.certPem] }) },
  {
    name: 'a leaf issued by an intermediate with CA:FALSE', openssl: 79, make: () => {
      const notCa = createCa({ commonName: 'Path Test Not A CA', parent: root, keyType: 'ec', profile: { basicConstraintsCa: false } });
      return { leaf: issueCert(notCa, { commonName: HOST, keyType: 'ec' }), chain: [notCa.certPem] };
    },
  },
  {
    name: 'an intermediate without keyCertSign (sent, not missing)', openssl: 79, make: () => {
      const noSign = createCa({ commonName: 'Path Test No CertSign', parent: root, keyType: 'ec', profile: { withoutKeyCertSign: true } });
      return { leaf: issueCert(noSign, { commonName: HOST, keyType: 'ec' }), chain: [noSign.certPem] };
    },
  },
  { name: 'a leaf whose extendedKeyUsage is clientAuth only', openssl: 26, make: () => ({ leaf: issueCert(intermediate, { commonName: HOST, keyType: 'ec', profile: { extKeyUsage: ['clientAuth'] } }), chain: [intermediate.certPem] }) },
  {
    name: 'a path that exceeds pathlen:0', openssl: 25, make: () => {
      const constrained = createCa({ commonName: 'Path Test Pathlen Zero', parent: root, keyType: 'ec', profile: { pathLength: 0 } });
      const below = createCa({ commonName: 'Path Test Below Pathlen', parent: constrained, keyType: 'ec' });
      return { leaf: issueCert(below, { commonName: HOST, keyType: 'ec' }), chain: [below.certPem, constrained.certPem] };
    },
  },
  {
    name: 'a leaf outside its CA\'s name constraints', openssl: 47, make: () => {
      const constrained = createCa({ commonName: 'Path Test Constrained CA', parent: root, keyType: 'ec', profile: { permittedDns: ['allowed.test'] } });
      return { leaf: issueCert(constrained, { commonName: HOST, keyType: 'ec' }), chain: [constrained.certPem] };
    },
  },
  {
    name: 'an expired trust anchor', openssl: 10, make: () => {
      const oldRoot = createCa({ commonName: 'Path Test Expired Root', keyType: 'ec', validFrom: new Date(now - 900 * DAY), validTo: new Date(now - DAY) });
      const issuing = createCa({ commonName: 'Path Test Under Expired Root', parent: oldRoot, keyType: 'ec' });
      return { leaf: issueCert(issuing, { commonName: HOST, keyType: 'ec' }), chain: [issuing.certPem], anchor: oldRoot.certPem };
    },
  },
  { name: 'an expired leaf', openssl: 10, make: () => ({ leaf: issueCert(intermediate, { commonName: HOST, keyType: 'ec', validFrom: new Date(now - 400 * DAY), validTo: new Date(now - 2 * DAY) }), chain: [intermediate.certPem] }) },
  { name: 'a leaf not yet valid', openssl: 9, make: () => ({ leaf: issueCert(intermediate, { commonName: HOST, keyType: 'ec', validFrom: new Date(now + 3 * DAY), validTo: new Date(now + 300 * DAY) }), chain: [intermediate.certPem] }) },
  { name: 'an RSA-1024 leaf', openssl: 66, make: () => ({ leaf: issueCert(intermediate, { commonName: HOST, rsaBits: 1024 }), chain: [intermediate.certPem], weakCrypto: true }) },
  { name: 'a SHA-1 signature', openssl: 68, make: () => ({ leaf: issueCert(intermediate, { commonName: HOST, keyType: 'ec', hash: 'sha1' }), chain: [intermediate.certPem], weakCrypto: true }) },
  { name: 'a leaf sent without its intermediate', openssl: 20, make: () => ({ leaf: issueCert(intermediate, { commonName: HOST, keyType: 'ec' }), chain: [] }) },
  { name: 'a self-signed leaf', openssl: 18, make: () => ({ leaf: selfSigned({ commonName: HOST, keyType: 'ec' }), chain: [] }) },
  {
    name: 'a chain to a root nobody trusts, root sent', openssl: 19, make: () => {
      const otherRoot = createCa({ commonName: 'Path Test Unknown Root', keyType: 'ec' });
      const issuing = createCa({ commonName: 'Path Test Under Unknown Root', parent: otherRoot, keyType: 'ec' });
      return { leaf: issueCert(issuing, { commonName: HOST, keyType: 'ec' }), chain: [issuing.certPem, otherRoot.certPem] };
    },
  },
];

describe('certificate path validation agrees with openssl verify -purpose sslserver', () => {
  it.each(rows)('$name', async (row) => {
    const { leaf, chain, anchor, weakCrypto } = row.make();
    const openssl = opensslVerify(leaf, chain, anchor ?? root.certPem);
    const first = openssl.errors[0]?.error ?? 0;
    expect(first, openssl.output).toBe(row.openssl);
    if (anchor) context = createEngineContext({ caCertificates: [root.certPem, anchor] });
    const report = await probeChain(leaf, chain, weakCrypto);
    const verdict = report.certificateVerdict;
    expect(report.stages.find((s) => s.name === 'tls')?.status).toBe('ok');
    expect(verdict?.summary).toBe(expectedSummary(first, chain.length + 1));
    expect(verdict?.pathValidator).toMatch(/^OpenSSL /);
    if (verdict?.summary === 'invalid-chain') {
      // The same rule, at the same certificate, in words.
      expect(verdict.chain).toBe('invalid');
      // OpenSSL lists every rule the broken certificate breaks; the verdict names one of them, at the same certificate.
      const listed = openssl.errors.map((e) => `${OPENSSL_NAMES[e.error] ?? e.error}@${e.depth}`);
      expect(listed, openssl.output).toContain(`${verdict.pathError?.code}@${verdict.pathError?.depth}`);
      expect(verdict.pathError?.rule).toMatch(/RFC 5280 §4\.2\.1\.\d+/);
      const finding = report.findings.find((f) => f.code === 'TLS_CERT_CHAIN_INVALID');
      expect(finding?.severity).toBe('fail');
      expect(finding?.message).toContain(verdict.pathError?.certificate);
      expect(report.predictions.find((p) => p.setting === 'CertificateValidation')?.verdict).toBe('fail');
    } else {
      expect(report.findings.map((f) => f.code)).not.toContain('TLS_CERT_CHAIN_INVALID');
    }
    if (row.name === 'an expired trust anchor') {
      expect(report.findings.find((f) => f.code === 'TLS_CERT_EXPIRED')?.message).toMatch(/root certificate \(trust anchor\) CN=Path Test Expired Root/);
    }
    if (row.name === 'an intermediate without keyCertSign (sent, not missing)') {
      expect(report.findings.map((f) => f.code)).not.toContain('TLS_CHAIN_INCOMPLETE');
    }
    if (anchor) context = createEngineContext({ caCertificates: [root.certPem] });
  });

  it('the verdict words for each rule name the certificate and the rule', async () => {
    const notCa = createCa({ commonName: 'Path Test Words Not A CA', parent: root, keyType: 'ec', profile: { basicConstraintsCa: false } });
    const report = await probeChain(issueCert(notCa, { commonName: HOST, keyType: 'ec' }), [notCa.certPem]);
    expect(report.certificateVerdict?.pathError).toEqual({
      code: 'INVALID_CA',
      depth: 1,
      certificate: 'CN=Path Test Words Not A CA, O=Mailflow Doctor Tests',
      rule: 'the intermediate CN=Path Test Words Not A CA, O=Mailflow Doctor Tests issued CN=mx.path.test, O=Mailflow Doctor Tests but is not a CA (basicConstraints CA:FALSE); only a CA may issue certificates (RFC 5280 §4.2.1.9).',
    });
  });
});
