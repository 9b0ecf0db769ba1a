import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PartnerResultSchema } from '../../src-main/contract/partners';
import { PARTNER_CSV_COLUMNS } from '../../src-main/report/partners';
import { startPartnerLab, type PartnerLab } from '../support/partner-lab';
import { runCli } from '../support/run-cli';
import { useTempDirs } from '../support/temp-dirs';

const tempDir = useTempDirs('mailflow-partners-cli-');
let lab: PartnerLab;
let dir: string;
let list: string;
let caFile: string;
beforeAll(async () => { lab = await startPartnerLab(); });
beforeEach(() => {
  dir = tempDir();
  list = join(dir, 'partners.csv');
  caFile = join(dir, 'lab-ca.pem');
  writeFileSync(list, lab.csv);
  writeFileSync(caFile, lab.ca.certPem);
});
afterAll(async () => { await lab?.close(); });

const network = (): string[] => ['--dns-server', lab.dns.address, '--port', String(lab.port), '--public-ca', caFile, '--helo', 'tester.example', '--timeout', '5'];

describe('mailflow-doctor partners', () => {
  it('prints the table, worst first, with one plain progress line per partner and exit code 1', async () => {
    const { code, out, err } = await runCli(['partners', list, ...network()]);
    expect(code).toBe(1);
    const rows = out.split('\n').filter((l) => /^ {2}(Ready|Not ready|Unreachable|No mail)/.test(l));
    expect(rows.map((l) => l.slice(2, 21).trim())).toEqual([
      'Not ready', 'Not ready', 'Not ready', 'Not ready', 'Unreachable', 'No mail', 'No mail', 'Ready with warnings', 'Ready with warnings', 'Ready', 'Ready', 'Ready',
    ]);
    expect(out).toContain('12 of 12 partner(s) checked');
    expect(out).toContain('SMTP probes: 10 (1 answer(s) reused the probe of a shared MX)');
    expect(err.split('\n').filter((l) => /^\[\d+\/12\] /.test(l))).toHaveLength(12);
  });

  it('exits 0 when every partner is ready and nothing expires within the window', async () => {
    const ready = join(dir, 'ready.txt');
    writeFileSync(ready, 'good-bank.test\nbob@second-bank.test\n');
    const { code, out } = await runCli(['partners', ready, ...network()]);
    expect(out).toContain('Ready: 2');
    expect(code).toBe(0);
  });

  it('exits 1 for a certificate expiring within --expiry-days, 0 when the window is shorter', async () => {
    const expiring = join(dir, 'expiring.txt');
    writeFileSync(expiring, 'expiring-bank.test\n');
    expect((await runCli(['partners', expiring, ...network()])).code).toBe(1);
    const shorter = await runCli(['partners', expiring, ...network(), '--expiry-days', '5']);
    expect(shorter.out).toContain('Ready: 1');
    expect(shorter.code).toBe(0);
  });

  it('writes JSON Lines: one object per partner in the documented schema', async () => {
    const { out } = await runCli(['partners', list, ...network(), '--format', 'jsonl']);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(12);
    for (const line of lines) expect(PartnerResultSchema.safeParse(JSON.parse(line)).success).toBe(true);
    const self = PartnerResultSchema.parse(JSON.parse(lines.find((l) => l.includes('"selfsigned-bank.test"'))!));
    expect(self).toMatchObject({ domain: 'selfsigned-bank.test', status: 'not-ready', daysToExpiry: expect.any(Number), readiness: { CertificateValidation: { verdict: 'fail' } }, mx: [{ host: 'mx.selfsigned-bank.test' }], message: { subject: expect.any(String) } });
  });

  it('writes CSV with the documented columns, JSON with the summary, and the ready partners for a profile', async () => {
    const csv = (await runCli(['partners', list, ...network(), '--format', 'csv'])).out.split('\r\n');
    expect(csv[0]).toBe(PARTNER_CSV_COLUMNS.join(','));
    expect(csv.filter((l) => l !== '')).toHaveLength(13);
    const json = JSON.parse((await runCli(['partners', list, ...network(), '--format', 'json'])).out) as { summary: { done: number }; partners: unknown[] };
    expect(json.summary.done).toBe(12);
    expect(json.partners).toHaveLength(12);
    const profile = JSON.parse((await runCli(['partners', list, ...network(), '--format', 'profile'])).out) as { partners: { name: string; certificateCheck: string }[] };
    expect(profile.partners.map((p) => p.name).sort()).toEqual(['Expiring Bank', 'Good Bank', 'Inbound Bank', 'Second Bank', 'Split Bank']);
  });

  it('writes the HTML report and the .ps1 (UTF-8 with BOM) through a temporary file, leaving no partial file', async () => {
    const html = join(dir, 'report.html');
    const ps1 = join(dir, 'connectors.ps1');
    expect((await runCli(['partners', list, ...network(), '--format', 'html', '--out', html])).code).toBe(1);
    expect((await runCli(['partners', list, ...network(), '--format', 'ps1', '--out', ps1])).code).toBe(1);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h1>Partner TLS readiness: evidence report</h1>');
    expect(page).toContain('@page { size: A4;');
    expect(page).toContain('<strong>Rehearsal:</strong>');
    expect(page.match(/<section class="partner"/g)).toHaveLength(12);
    const script = readFileSync(ps1);
    expect([...script.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = script.toString('utf8');
    expect(text).toContain("if (-not (Get-OutboundConnector | Where-Object { $_.Name -eq 'From Office 365 to Good Bank (good-bank.test)' })) {");
    expect(text).toContain("New-OutboundConnector -Name 'From Office 365 to Good Bank (good-bank.test)' -ConnectorType 'Partner' -RecipientDomains 'good-bank.test' -UseMXRecord $true -TlsSettings 'DomainValidation' -TlsDomain 'mail.hoster.test'");
    expect(text).toContain("# New-OutboundConnector -Name 'From Office 365 to Selfsigned Bank (selfsigned-bank.test)'");
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('reports each rejected line on stderr and checks the valid ones', async () => {
    const mixed = join(dir, 'mixed.csv');
    writeFileSync(mixed, 'domain,direction\ngood-bank.test,outbound\nnot a domain,outbound\nsecond-bank.test,sideways\n');
    const { code, err, out } = await runCli(['partners', mixed, ...network()]);
    expect(err).toContain(`${mixed}: line 3: "not a domain" contains spaces`);
    expect(err).toContain(`${mixed}: line 4: direction "sideways" is not inbound, outbound or both`);
    expect(out).toContain('1 of 1 partner(s) checked');
    expect(code).toBe(0);
  });

  it.each([
    [['--format', 'xml'], '--format must be table, json, jsonl, csv, md, html, ps1 or profile, not "xml"'],
    [['--concurrency', '0'], '--concurrency must be a whole number from 1 to 64, not "0"'],
    [['--since-days', 'x'], '--since-days must be a whole number from 0 to 3650, not "x"'],
  ])('refuses bad options with exit code 2 (%s)', async (args, message) => {
    const { code, err } = await runCli(['partners', list, ...network(), ...args]);
    expect(code).toBe(2);
    expect(err).toContain(message);
  });

  it('refuses a binary file and an empty list with one clear line, writing no output file', async () => {
    const binary = join(dir, 'list.xlsx');
    writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]));
    const out = join(dir, 'never.html');
    const bad = await runCli(['partners', binary, ...network(), '--format', 'html', '--out', out]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('The partner list contains NUL bytes: it looks like binary data, not text');
    expect(existsSync(out)).toBe(false);
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, 'domain,name\n\n\n');
    const none = await runCli(['partners', empty, ...network()]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('no partner domain in the list');
  });
});

describe('mailflow-doctor partners: interruption and the register', () => {
  it('keeps what finished when interrupted (Ctrl+C), writes the output for those partners and exits 1', async () => {
    const { runPartnersCommand } = await import('../../src-main/cli/commands/partners');
    const controller = new AbortController();
    let out = '';
    let err = '';
    const target = join(dir, 'partial.jsonl');
    const code = await runPartnersCommand(list, {
      dnsServer: [lab.dns.address], timeout: '5', caFile: [], publicCa: [caFile], helo: 'tester.example', port: String(lab.port),
      concurrency: '1', format: 'jsonl', out: target, expiryDays: '30',
    }, {
      stdout: { write: (t: string) => { out += t; } },
      stderr: { write: (t: string) => { err += t; if (/^\[3\/12\]/m.test(err)) controller.abort(); } },
      signal: controller.signal,
    });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('Interrupted: the output has the partners checked before.');
    const lines = readFileSync(target, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
  });

  it('--register records the answers; --since-days then skips partners checked recently', async () => {
    const store = join(dir, 'store');
    const previous = process.env['MAILFLOW_DOCTOR_STORE_DIR'];
    process.env['MAILFLOW_DOCTOR_STORE_DIR'] = store;
    try {
      const first = await runCli(['partners', list, ...network(), '--register']);
      expect(first.err).toContain(`Recorded in the partner register (${join(store, 'partners.json')}).`);
      const register = JSON.parse(readFileSync(join(store, 'partners.json'), 'utf8')) as { partners: { history: unknown[] }[] };
      expect(register.partners).toHaveLength(12);
      expect(register.partners.every((p) => p.history.length === 1)).toBe(true);
      const again = await runCli(['partners', list, ...network(), '--since-days', '1']);
      expect(again.err).toContain('0 of 12 partner(s) not checked for 1 day(s).');
      expect(again.out).toContain('0 of 0 partner(s) checked');
      const due = await runCli(['partners', list, ...network(), '--since-days', '0']);
      expect(due.err).toContain('12 of 12 partner(s) not checked for 0 day(s).');
    } finally {
      if (previous === undefined) delete process.env['MAILFLOW_DOCTOR_STORE_DIR'];
      else process.env['MAILFLOW_DOCTOR_STORE_DIR'] = previous;
    }
  });
});
