import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src-main/contract/errors';
import { MessageAnalysisSchema } from '../../src-main/contract/message';
import { analyzeMessage, describeExchangeBuild, compauthReason, parseMailDate, parseReceived } from '../../src-main/engine/message/index';
import { parseAuthenticationResults } from '../../src-main/engine/message/auth';
import { buildPlan, parseProfile } from '../../src-main/planner/index';
import { CRLF, bytes, makeMsg, message, onPremToBob, partnerToBob } from '../support/messages';

/**
 * Message trace analysis: headers written for the tests from the documented
 * formats. The profile is the article's organisation (examples/john-bob-sun.json):
 * EX2013 at mail.contoso.com / 203.0.113.25, partner ContosoBank with TLS required.
 */
const profile = parseProfile(readFileSync(fileURLToPath(new URL('../../examples/john-bob-sun.json', import.meta.url)), 'utf8'), 'john-bob-sun.json');
const plan = buildPlan(profile);
const SAMPLE = fileURLToPath(new URL('../fixtures/message/onprem-via-connector.eml', import.meta.url));

describe('Received: fields', () => {
  it('reads a Gmail-style field: SMTPS, Google Transport Security, the address in brackets', () => {
    const r = parseReceived('from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com with SMTPS id a1sor2941627ljb.2026.12.01.02.00.00 for <sun@gmail.com> (Google Transport Security); Tue, 01 Dec 2026 02:00:00 -0800 (PST)');
    expect(r).toMatchObject({ from: 'mail-sor-f41.google.com', fromIp: '209.85.220.41', by: 'mx.google.com', with: 'SMTPS', for: 'sun@gmail.com' });
    expect(r.encryption.state).toBe('tls');
    expect(new Date(parseMailDate(r.date!)!.ms).toISOString()).toBe('2026-12-01T10:00:00.000Z');
    const internal = parseReceived('by 2002:a05:6a10:d4c8:b0:5a1:1b2c:3d4e with SMTP id x12csp1234567pxb; Tue, 1 Dec 2026 02:00:01 -0800 (PST)');
    expect(internal).toMatchObject({ by: '2002:a05:6a10:d4c8:b0:5a1:1b2c:3d4e', with: 'SMTP', id: 'x12csp1234567pxb' });
    expect(internal.from).toBeUndefined();
    expect(internal.encryption.state).toBe('none');
  });

  it('reads a Postfix-style field with its TLS comment, folded over several lines', () => {
    const r = parseReceived(`from mail.contosobank.com (mail.contosobank.com [198.51.100.7])${CRLF}\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)${CRLF}\t key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256)${CRLF}\t(No client certificate requested)${CRLF}\tby mx.partner.example (Postfix) with ESMTPS id 4ZK9X12abcz9sT${CRLF}\tfor <bob@contoso.com>; Tue,  1 Dec 2026 10:00:00 +0000 (UTC)`);
    expect(r).toMatchObject({ from: 'mail.contosobank.com', fromIp: '198.51.100.7', by: 'mx.partner.example', with: 'ESMTPS', id: '4ZK9X12abcz9sT', for: 'bob@contoso.com' });
    expect(r.encryption).toMatchObject({ state: 'tls', version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', text: 'TLS 1.3 (TLS_AES_256_GCM_SHA384)' });
  });

  it('tells ESMTP, ESMTPS, ESMTPSA and Exchange with and without TLS apart', () => {
    const encryption = (withText: string) => parseReceived(`from a.example (a.example [192.0.2.1]) by b.example ${withText}; Tue, 1 Dec 2026 10:00:00 +0000`).encryption;
    expect(encryption('with ESMTP id 1').state).toBe('none');
    expect(encryption('with ESMTPS id 1').state).toBe('tls');
    expect(encryption('with ESMTPSA id 1').text).toContain('authentication');
    expect(encryption('with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.2.1258.12')).toMatchObject({ state: 'tls', version: 'TLS1_2', text: 'TLS 1.2 (TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)' });
    expect(encryption('with Microsoft SMTP Server id 15.2.1258.12').state).toBe('none');
    expect(encryption('with mapi id 15.20.8700.012').state).toBe('internal');
    expect(encryption('(version=TLSv1.3 cipher=TLS_AES_256_GCM_SHA384 bits=256 verify=NO) with ESMTP id 1').state).toBe('tls');
    expect(parseReceived('from x by y with Microsoft SMTP Server id 15.2.1258.12; Tue, 1 Dec 2026 10:00:00 +0000').exchangeBuild).toBe('15.2.1258.12');
  });

  it('survives a truncated field: an unclosed comment, no date, no keywords', () => {
    expect(parseReceived('from mail.contoso.com (mail.contoso.com [203.0.113').from).toBe('mail.contoso.com');
    expect(parseReceived('from').from).toBeUndefined();
    expect(parseReceived('(qmail 1234 invoked by uid 0)').comments).toEqual(['qmail 1234 invoked by uid 0']);
    expect(parseReceived('x'.repeat(20000)).encryption.state).toBe('unknown');
  });

  it('reads dates with obsolete zones, comments and two-digit years, and refuses nonsense', () => {
    expect(new Date(parseMailDate('Tue, 1 Dec 26 10:00:00 EST')!.ms).toISOString()).toBe('2026-12-01T15:00:00.000Z');
    expect(parseMailDate('1 Dec 2026 10:00 +0100 (CET)')!.ms).toBe(Date.UTC(2026, 11, 1, 9, 0));
    expect(parseMailDate('Tue, 1 Dec 2026 10:00:00')).toMatchObject({ zoneMissing: true });
    expect(parseMailDate('yesterday')).toBeUndefined();
    expect(parseMailDate('Tue, 45 Dec 2026 10:00:00 +0000')).toBeUndefined();
  });
});

describe('analyzeMessage', () => {
  it('on-premises mail through the inbound connector (AuthAs Internal): hops, TLS, attribution, the path John → Bob', async () => {
    const a = await analyzeMessage(readFileSync(SAMPLE), { fileName: 'onprem-via-connector.eml', profile, plan });
    expect(() => MessageAnalysisSchema.parse(a)).not.toThrow();
    expect(a.source).toEqual({ kind: 'eml', fileName: 'onprem-via-connector.eml', bytes: readFileSync(SAMPLE).length });
    expect(a.subject).toBe('Quarterly résults for Übersicht');
    expect(a.hops.map((h) => [h.index, h.zone, h.encryption.state, h.delaySeconds])).toEqual([
      [1, 'own-server', 'internal', undefined],
      [2, 'own-server', 'tls', 1],
      [3, 'microsoft', 'tls', 3],
      [4, 'microsoft', 'tls', 1],
      [5, 'microsoft', 'tls', 1],
    ]);
    expect(a.totalSeconds).toBe(6);
    expect(a.hopGroups.map((g) => [g.zone, g.first, g.last])).toEqual([['own-server', 1, 2], ['microsoft', 3, 5]]);
    expect(a.hopGroups[1]?.label).toContain('Microsoft 365');
    expect(a.exchange.attribution.kind).toBe('own-server-connector');
    expect(a.exchange.treatedAs).toBe('internal');
    expect(a.authentication.summary).toContain('Composite authentication (compauth) passed, reason 100: SPF or DKIM passed and the MAIL FROM and From domains are aligned.');
    expect(a.exchangeServers.map((s) => [s.build, s.product, s.status])).toEqual([
      ['15.0.1497.2', 'Exchange Server 2013 CU23', 'out-of-support'],
      ['15.20.8700.12', 'Exchange Online (Microsoft 365)', 'service'],
    ]);
    expect(a.path).toMatchObject({ from: 'john', to: 'bob', flow: { from: 'john', to: 'bob' }, connectorExpected: ['From EX2013 to Office 365'] });
    expect(a.path?.steps.map((s) => [s.actor, s.hops])).toEqual([['john', []], ['own-server', [1, 2]], ['office365', [3, 4, 5]], ['bob', []]]);
    expect(a.path?.connectorUsed).toContain('OnPremises');
    expect(a.path?.evidence[0]).toContain('203.0.113.25');
    expect(a.flags.map((f) => f.code)).toEqual(['EXCHANGE_OUT_OF_SUPPORT']);
    expect(a.flags[0]?.message).toContain('4.7.230');
  });

  it('the same message arriving anonymously is flagged against the planned connector', async () => {
    const a = await analyzeMessage(bytes(onPremToBob('Anonymous', { build: '15.2.2562.17' })), { profile, plan });
    expect(a.exchange.attribution.kind).toBe('anonymous');
    expect(a.exchange.treatedAs).toBe('external');
    expect(a.path).toMatchObject({ from: 'john', to: 'bob' });
    expect(a.path?.connectorUsed).toContain('anonymously');
    const codes = a.flags.map((f) => f.code);
    expect(codes).toContain('ARRIVED_ANONYMOUSLY');
    expect(a.flags.find((f) => f.code === 'ARRIVED_ANONYMOUSLY')).toMatchObject({ severity: 'fail', message: expect.stringContaining('From EX2013 to Office 365') });
    expect(codes).toContain('COMPAUTH_FAILED');
    expect(codes).toContain('MARKED_AS_SPAM');
    expect(codes).not.toContain('EXCHANGE_OUT_OF_SUPPORT');
    expect(a.exchangeServers[0]).toMatchObject({ product: 'Exchange Server Subscription Edition (SE)', status: 'current' });
    expect(a.authentication.summary.join(' ')).toContain('self-to-self');
    expect(a.exchange.verdict.join(' ')).toContain('spam');
  });

  it('without a profile an anonymous relay from on-premises Exchange is still a warning', async () => {
    const a = await analyzeMessage(bytes(onPremToBob('Anonymous')));
    expect(a.path).toBeUndefined();
    expect(a.flags.find((f) => f.code === 'ARRIVED_ANONYMOUSLY')?.severity).toBe('warn');
  });

  it('a partner message over TLS: partner → Bob through the partner connector, no TLS flag', async () => {
    const a = await analyzeMessage(bytes(partnerToBob(true)), { profile, plan });
    expect(a.path).toMatchObject({ from: 'partner:ContosoBank', to: 'bob', connectorExpected: ['From ContosoBank to Office 365'] });
    expect(a.path?.connectorUsed).toContain('Partner');
    expect(a.exchange.attribution.kind).toBe('partner-connector');
    expect(a.hops[0]?.encryption).toMatchObject({ state: 'tls', version: 'TLSv1.3' });
    expect(a.hops[0]?.zone).toBe('other');
    expect(a.hopGroups[0]?.label).toBe('Outside Microsoft: contosobank.com');
    expect(a.authentication.summary).toContain('DKIM passed: signed by contosobank.com (signature was verified).');
    expect(a.authentication.signatures).toEqual([{ domain: 'contosobank.com', selector: 's2048' }]);
    expect(a.flags.map((f) => f.code)).toEqual([]);
    // 10:59:59 +0100 is 09:59:59 UTC: a two-second delay, not an hour.
    expect(a.hops[1]?.delaySeconds).toBe(2);
  });

  it('a hop without TLS where the partner connector requires TLS is a failure', async () => {
    const a = await analyzeMessage(bytes(partnerToBob(false)), { profile, plan });
    const flag = a.flags.find((f) => f.code === 'HOP_WITHOUT_TLS');
    expect(flag).toMatchObject({ severity: 'fail', message: expect.stringContaining('From ContosoBank to Office 365') });
    expect(a.hops[1]?.encryption.state).toBe('none');
    const withoutProfile = await analyzeMessage(bytes(partnerToBob(false)));
    expect(withoutProfile.flags.find((f) => f.code === 'HOP_WITHOUT_TLS')?.severity).toBe('warn');
  });

  it('shows a clock behind the previous server as skew, not as a negative delay', async () => {
    const text = message([
      ['Received', 'from b.example (b.example [192.0.2.2]) by c.example with ESMTPS id 3; Tue, 1 Dec 2026 10:00:30 +0000'],
      ['Received', 'from a.example (a.example [192.0.2.1]) by b.example with ESMTPS id 2; Tue, 1 Dec 2026 09:58:00 +0000'],
      ['Received', 'from sender.example (sender.example [192.0.2.9]) by a.example with ESMTPSA id 1; Tue, 1 Dec 2026 10:00:00 +0000'],
      ['Subject', 'skew'],
    ]);
    const a = await analyzeMessage(bytes(text));
    expect(a.hops.map((h) => [h.delaySeconds, h.clockSkew, h.skewSeconds])).toEqual([[undefined, false, undefined], [0, true, 120], [150, false, undefined]]);
    expect(a.hops.every((h) => (h.delaySeconds ?? 0) >= 0)).toBe(true);
    expect(a.flags.find((f) => f.code === 'CLOCK_SKEW')?.message).toContain('b.example');
  });

  it('decodes RFC 2047 encoded words and unfolds folded headers; bad encodings do not crash', async () => {
    const text = `Received: from a.example (a.example [192.0.2.1])${CRLF}\tby b.example${CRLF}    with ESMTPS id 1${CRLF} for <x@b.example>; Tue, 1 Dec 2026 10:00:00 +0000${CRLF}From: =?ISO-8859-1?Q?J=F6rg?= <jorg@a.example>${CRLF}Subject: =?UTF-8?B?w5xiZXI=?= =?UTF-8?Q?_caf=C3=A9?= =?UTF-8?B?####?= =?x-unknown?Q?abc?=${CRLF}${CRLF}body${CRLF}`;
    const a = await analyzeMessage(bytes(text));
    expect(a.hops[0]).toMatchObject({ by: 'b.example', with: 'ESMTPS', for: 'x@b.example' });
    expect(a.subject).toMatch(/^Über café/);
    expect(a.from).toBe('jorg@a.example');
    const latin1 = new Uint8Array([...bytes('Subject: caf'), 0xe9, 0xff, ...bytes(`${CRLF}Received: from a by b with SMTP; Tue, 1 Dec 2026 10:00:00 +0000${CRLF}${CRLF}`)]);
    const b = await analyzeMessage(latin1);
    expect(b.subject).toContain('caf');
    expect(b.hops).toHaveLength(1);
  });

  it('reads an Outlook .msg (burned in test setup) through its transport headers', async () => {
    const headers = onPremToBob('Internal').split(`${CRLF}${CRLF}`)[0]!;
    const msg = makeMsg(`${headers}${CRLF}`, 'Quarterly results', 'Hello Bob');
    const a = await analyzeMessage(msg, { fileName: 'quarterly.msg', profile, plan });
    expect(a.source.kind).toBe('msg');
    expect(a.subject).toBe('Quarterly results');
    expect(a.hops).toHaveLength(4);
    expect(a.path).toMatchObject({ from: 'john', to: 'bob' });
    const older = await analyzeMessage(makeMsg(`Microsoft Mail Internet Headers Version 2.0${CRLF}${headers}${CRLF}`, 'Quarterly results'), { fileName: 'older.msg' });
    expect(older.hops).toHaveLength(4);
    const pasted = await analyzeMessage(bytes(`Microsoft Mail Internet Headers Version 2.0${CRLF}${headers}`));
    expect([pasted.source.kind, pasted.hops.length]).toEqual(['headers', 4]);
    const draft = await analyzeMessage(makeMsg('', 'Draft', 'not sent'), { fileName: 'draft.msg' });
    expect(draft.notes.map((n) => n.message).join(' ')).toContain('no Internet headers');
  });

  it('pasted headers only (no body) are read as headers; a message with a body as .eml, with CRLF or LF line ends', async () => {
    const headersOnly = partnerToBob(true).split(`${CRLF}${CRLF}`)[0]!;
    const a = await analyzeMessage(bytes(`\uFEFF\n  ${headersOnly}\r\n\r\n  \r\n`));
    expect(a.source.kind).toBe('headers');
    expect(a.hops).toHaveLength(4);
    const lf = await analyzeMessage(bytes(partnerToBob(true).replace(/\r\n/g, '\n')));
    expect(lf.source.kind).toBe('eml');
    expect(lf.hops).toHaveLength(4);
  });
});

describe('authentication results', () => {
  it('reads a Gmail-style Authentication-Results with its authserv-id, selector and DMARC policy comment', () => {
    const h = parseAuthenticationResults('mx.google.com; dkim=pass header.i=@partner.example header.s=20230601 header.b=AbCd; spf=pass (google.com: domain of alice@partner.example designates 198.51.100.7 as permitted sender) smtp.mailfrom=alice@partner.example; dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=partner.example', 'Authentication-Results');
    expect(h.by).toBe('mx.google.com');
    expect(h.methods.map((m) => [m.method, m.verdict])).toEqual([['dkim', 'pass'], ['spf', 'pass'], ['dmarc', 'pass']]);
    expect(h.methods[0]?.text).toBe('DKIM passed: signed by @partner.example, selector 20230601');
    expect(h.methods[2]?.text).toBe('DMARC passed for the From domain partner.example (p=REJECT sp=REJECT dis=NONE)');
  });

  it('reads ARC-Authentication-Results (RFC 8617) with its instance and authserv-id', () => {
    const h = parseAuthenticationResults('i=1; mx.microsoft.com 1; spf=pass (sender ip is 198.51.100.7) smtp.rcpttodomain=contoso.com smtp.mailfrom=partner.example; dmarc=pass (p=none sp=none pct=100) action=none header.from=partner.example; dkim=fail (body hash did not verify) header.d=partner.example; arc=none', 'ARC-Authentication-Results');
    expect(h).toMatchObject({ header: 'ARC-Authentication-Results', instance: 1, by: 'mx.microsoft.com' });
    expect(h.methods.map((m) => `${m.method}=${m.result}`)).toEqual(['spf=pass', 'dmarc=pass', 'dkim=fail', 'arc=none']);
    expect(h.methods[2]?.verdict).toBe('fail');
  });

  it('keeps going on a broken Authentication-Results: unknown results stay as given, junk is skipped', () => {
    const h = parseAuthenticationResults('spf=; dkim=weird header.d=x.example; ;;; (unclosed comment', 'Authentication-Results');
    expect(h.methods.map((m) => [m.method, m.result, m.verdict])).toEqual([['dkim', 'weird', 'neutral']]);
  });
});

describe('bad input', () => {
  const rejects = async (input: Uint8Array, pattern: RegExp, fileName?: string) => {
    const error = await analyzeMessage(input, fileName ? { fileName } : {}).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(pattern);
  };

  it('refuses 20 MB of text with the limit in the message', async () => {
    await rejects(new Uint8Array(20 * 1024 * 1024).fill(0x41), /20 MB; at most 10 MB/);
  });

  it('refuses binary data, an empty input and a damaged .msg by name', async () => {
    const random = new Uint8Array(4096);
    for (let i = 0; i < random.length; i += 1) random[i] = (i * 7919 + 13) % 256;
    await rejects(random, /binary data, not a message/, 'photo.jpg');
    await rejects(bytes('   \r\n  '), /Nothing to analyse/);
    const fakeMsg = new Uint8Array(1024);
    fakeMsg.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    await rejects(fakeMsg, /Outlook \.msg file but could not be read/, 'broken.msg');
    await rejects(bytes('Subject: hi\r\n\r\nbody'), /not an Outlook \.msg file/, 'renamed.msg');
  });

  it('reads truncated headers and plain text without crashing, with a note', async () => {
    const cut = onPremToBob('Internal').slice(0, 700);
    const a = await analyzeMessage(bytes(cut));
    expect(a.hops.length).toBeGreaterThan(0);
    const prose = await analyzeMessage(bytes('Hello, this is not a message at all.'));
    expect(prose.hops).toEqual([]);
    expect(prose.notes.map((n) => n.message).join(' ')).toContain('No message headers');
  });

  it('caps the number of header fields and their length', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => `X-Filler-${i}: ${i}`).join(CRLF);
    const long = `Received: from a by b with ESMTPS; Tue, 1 Dec 2026 10:00:00 +0000${CRLF}X-Long: ${'a'.repeat(40000)}${CRLF}${many}${CRLF}${CRLF}`;
    const a = await analyzeMessage(bytes(long));
    const notes = a.notes.map((n) => n.message).join(' ');
    expect(notes).toContain('only the first 2000 were read');
    expect(notes).toContain('cut short');
  });
});

describe('reference tables', () => {
  it('names Exchange builds and their support', () => {
    expect(describeExchangeBuild('15.2.1258.12', false)).toMatchObject({ product: 'Exchange Server 2019 CU13', status: 'out-of-support' });
    expect(describeExchangeBuild('15.2.1300.1', false).text).toContain('CU13 or a later update of it');
    expect(describeExchangeBuild('15.1.2507.6', false).product).toBe('Exchange Server 2016 CU23');
    expect(describeExchangeBuild('15.2.2562.17', false).status).toBe('current');
    expect(describeExchangeBuild('14.3.123.4', false).product).toBe('Exchange Server 2010 SP3');
    expect(describeExchangeBuild('15.20.8700.12', false).status).toBe('service');
    expect(describeExchangeBuild('99.1.1.1', false).status).toBe('unknown');
  });

  it('explains compauth reason codes exactly, then by class', () => {
    expect(compauthReason('000')).toContain('DMARC failed');
    expect(compauthReason('905')).toContain('complex routing');
    expect(compauthReason('703')).toContain('history of legitimate mail');
    expect(compauthReason('399')).toContain('not checked');
    expect(compauthReason('850')).toContain('not in Microsoft');
  });
});
