import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src-main/cli/main';
import { CheckReportSchema } from '../../src-main/contract/check';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDnsServer, startDohServer, type RunningDnsServer } from '../support/dns-server';
import { createCa, issueCert } from '../support/pki';
import { FIXTURE_BEHAVIOUR, FIXTURE_ZONE } from '../support/dns-fixtures';

const BIN = fileURLToPath(new URL('../../bin/mailflow-doctor.js', import.meta.url));

function run(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const timer = setTimeout(() => { child.kill(); reject(new Error('CLI did not finish in 30 s')); }, 30_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

let dns: RunningDnsServer;
beforeAll(async () => { dns = await startDnsServer({ zone: FIXTURE_ZONE, ...FIXTURE_BEHAVIOUR }); });
afterAll(async () => { await dns?.close(); });

describe('bad input: one line, exit code 2, no lookup made', () => {
  let stderr = '';
  afterEach(() => { vi.restoreAllMocks(); process.exitCode = undefined; });
  const table: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
    ['empty domain', ['check', ''], /no domain given/],
    ['spaces only', ['check', '   '], /no domain given/],
    ['a label over 63', ['check', `${'a'.repeat(64)}.com`], /at most 63/],
    ['a name over 253', ['check', `${Array.from({ length: 26 }, () => 'abcdefghi').join('.')}.com`], /at most 253/],
    ['invalid characters', ['check', 'con!toso.com'], /characters a domain name cannot have/],
    ['a space inside', ['check', 'con toso.com'], /contains spaces/],
    ['two dots', ['check', 'contoso..com'], /empty label/],
    ['an IPv4 address', ['check', '192.0.2.1'], /is an IP address/],
    ['an IPv6 address', ['check', '[2001:db8::1]'], /is an IP address/],
    ['a single label', ['check', 'localhost'], /not a full domain name/],
    ['a bad timeout', ['check', 'contoso.com', '--timeout', 'soon'], /--timeout "soon": a whole number of seconds from 1 to 60/],
    ['a zero timeout', ['check', 'contoso.com', '--timeout', '0'], /--timeout 0: at least 1 second/],
    ['a timeout over the contract\'s 60 s', ['check', 'contoso.com', '--timeout', '300'], /--timeout 300: at most 60 seconds/],
    ['a fractional timeout', ['check', 'contoso.com', '--timeout', '0.5'], /--timeout 0.5: a whole number of seconds from 1 to 60/],
    ['a DKIM selector the app refuses', ['check', 'contoso.com', '--dkim-selector', 'a.b'], /--dkim-selector "a.b": a DKIM selector is one name/],
    ['a bad DNS server', ['check', 'contoso.com', '--dns-server', 'dns.example'], /--dns-server "dns.example": a DNS server is an IP address/],
    ['a bad DNS port', ['check', 'contoso.com', '--dns-server', '127.0.0.1:99999'], /--dns-server "127.0.0.1:99999": a DNS server is an IP address/],
    ['one --compare-dns', ['check', 'contoso.com', '--compare-dns', '127.0.0.1'], /exactly two/],
    ['a missing CA file', ['check', 'contoso.com', '--ca-file', '/nonexistent/ca.pem'], /--ca-file \/nonexistent\/ca.pem cannot be used: it must be a readable PEM certificate file/],
    ['a DoH URL over http', ['check', 'contoso.com', '--doh', 'http://127.0.0.1/dns-query'], /--doh "http:\/\/127.0.0.1\/dns-query": DNS over HTTPS needs an https:\/\/ address/],
    ['both --doh and --dns-server', ['check', 'contoso.com', '--doh', 'https://127.0.0.1/q', '--dns-server', '127.0.0.1'], /either --dns-server or --doh/],
    ['an unknown record type', ['dns', 'contoso.com', 'SRVX'], /record type "SRVX" is not one of/],
    ['an IP without PTR', ['dns', '192.0.2.1', 'MX'], /use type PTR/],
    ['no domain at all', ['check'], /missing required argument/],
  ];
  it.each(table)('%s', async (_label, args, message) => {
    stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await main(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('the real command line against the fixture DNS server', () => {
  it('check --json prints one CheckReport and exits 1 on a fail finding', async () => {
    const result = await run(['check', 'deepspf.test', '--dns-server', dns.address, '--json']);
    expect(result.stderr).toBe('');
    const report = CheckReportSchema.parse(JSON.parse(result.stdout));
    expect(report).toMatchObject({ schemaVersion: 1, domain: 'deepspf.test', resolver: dns.address });
    expect(report.mx).toMatchObject([{ host: 'mx.deepspf.test', preference: 10, addresses: ['127.0.0.40'] }]);
    expect(report.findings.find((f) => f.code === 'SPF_TOO_MANY_LOOKUPS')).toMatchObject({ severity: 'fail', subject: 'deepspf.test' });
    for (const f of report.findings) expect(Object.keys(f)).toEqual(expect.arrayContaining(['code', 'severity', 'subject', 'message', 'fix']));
    expect(result.code).toBe(1);
  });

  it('check prints plain grouped text when not on a terminal and exits 0 without fail findings', async () => {
    const result = await run(['check', 'Good.TEST.', '--dns-server', dns.address, '--no-probe']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stdout).toMatch(/^Mail domain check: good\.test$/m);
    expect(result.stdout).toMatch(/^SPF$/m);
    expect(result.stdout).toMatch(/^ {3}OK {3}SPF record found; 1 of 10 DNS lookups used\. \[SPF_OK\]$/m);
    expect(result.stdout).toMatch(/^0 fail, 0 warn, \d+ info, \d+ ok$/m);
  });

  it('check --compare-dns lists where two resolvers disagree', async () => {
    const other = await startDnsServer({ zone: { ...FIXTURE_ZONE, 'good.test': [{ type: 'MX', preference: 10, exchange: 'onprem.good.test' }], 'onprem.good.test': [{ type: 'A', address: '127.0.0.99' }] } });
    try {
      const result = await run(['check', 'good.test', '--dns-server', dns.address, '--compare-dns', dns.address, '--compare-dns', other.address, '--json']);
      const report = CheckReportSchema.parse(JSON.parse(result.stdout));
      const diff = report.findings.filter((f) => f.code === 'DNS_RESOLVERS_DISAGREE');
      expect(diff.map((f) => f.subject).sort()).toEqual(['good.test', 'onprem.good.test']);
      expect(diff.find((f) => f.subject === 'good.test')!.message).toBe(`${dns.address} and ${other.address} disagree on good.test MX: 0 good-test.mail.protection.outlook.com vs 10 onprem.good.test.`);
    } finally {
      await other.close();
    }
  });

  it('dns <name> <type> shows the records, and an IP address is looked up as PTR', async () => {
    const mx = await run(['dns', 'sts.test', 'mx', '--dns-server', dns.address]);
    expect(mx.code).toBe(0);
    expect(mx.stdout).toContain('sts.test MX: answer from');
    expect(mx.stdout).toMatch(/^ {2}0 sts-test\.mail\.protection\.outlook\.com {2}ttl 300$/m);
    const ptr = await run(['dns', '127.0.0.10', '--dns-server', dns.address, '--json']);
    expect(JSON.parse(ptr.stdout)).toMatchObject({ name: '10.0.0.127.in-addr.arpa', type: 'PTR', outcome: 'answer', records: [{ target: 'good-test.mail.protection.outlook.com' }] });
    const missing = await run(['dns', '_dmarc.nospf.test', 'TXT', '--dns-server', dns.address]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('the name does not exist');
    const silent = await run(['dns', '_dmarc.slow.test', 'TXT', '--dns-server', dns.address, '--timeout', '1', '--no-color']);
    expect(silent.code).toBe(1);
    expect(silent.stdout).toContain(`_dmarc.slow.test TXT: timeout from ${dns.address} in `);
    expect(silent.stdout).toContain('  no answer within 1 s (tried twice, 2 s in all)');
  });

  it('dns and check --doh ask a DNS-over-HTTPS server whose test CA is given with --ca-file', async () => {
    const ca = createCa({ commonName: 'DoH Test CA' });
    const leaf = issueCert(ca, { commonName: '127.0.0.1', altNames: ['127.0.0.1'] });
    const doh = await startDohServer({ zone: FIXTURE_ZONE, certPem: leaf.certPem, keyPem: leaf.keyPem });
    const dir = await mkdtemp(join(tmpdir(), 'mfd-doh-'));
    try {
      await writeFile(join(dir, 'ca.pem'), ca.certPem);
      const result = await run(['dns', 'alias.cnamemx.test', 'A', '--doh', doh.url, '--ca-file', join(dir, 'ca.pem'), '--json']);
      expect(JSON.parse(result.stdout)).toMatchObject({ outcome: 'answer', server: doh.url, cnameChain: ['real.cnamemx.test'], records: [{ address: '127.0.0.12' }] });
      expect(doh.log).toEqual(['doh alias.cnamemx.test A', 'doh real.cnamemx.test A']);
      const check = await run(['check', 'good.test', '--doh', doh.url, '--ca-file', join(dir, 'ca.pem'), '--no-probe', '--json', '--timeout', '3']);
      const report = JSON.parse(check.stdout) as { findings: { code: string }[]; mx: { host: string }[] };
      expect(report.mx.map((m) => m.host)).toEqual(['good-test.mail.protection.outlook.com']);
      expect(report.findings.map((f) => f.code)).not.toContain('DNS_NETWORK_ERROR');
      const untrusted = await run(['dns', 'good.test', 'MX', '--doh', doh.url, '--json']);
      expect(JSON.parse(untrusted.stdout)).toMatchObject({ outcome: 'network-error', error: expect.stringMatching(/not trusted/) });
      expect(untrusted.code).toBe(1);
    } finally {
      await doh.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a bad domain exits 2 with one line on stderr', async () => {
    const result = await run(['check', 'bob@', '--dns-server', dns.address]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^mailflow-doctor: /);
  });
});
