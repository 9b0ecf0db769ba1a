import { describe, expect, it } from 'vitest';
import { ReplyReader, type ReaderEvent } from '../../src-main/engine/smtp/reply-reader';
import { parseEhlo, bannerHostOf } from '../../src-main/engine/smtp/capabilities';
import { escapeBytes, Transcript } from '../../src-main/engine/smtp/transcript';

const replies = (events: ReaderEvent[]) => events.flatMap((e) => (e.kind === 'reply' ? [e.reply] : []));
const errors = (events: ReaderEvent[]) => events.flatMap((e) => (e.kind === 'error' ? [e.error] : []));

describe('ReplyReader', () => {
  it('reads the multi-line EHLO replies of real servers', () => {
    const samples = {
      postfix: '250-mail.contoso.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n250 CHUNKING\r\n',
      exim: '250-mx.example.org Hello probe.test [192.0.2.9]\r\n250-SIZE 52428800\r\n250-8BITMIME\r\n250-PIPELINING\r\n250-PIPE_CONNECT\r\n250-AUTH PLAIN LOGIN\r\n250-STARTTLS\r\n250 HELP\r\n',
      exchange: '250-contoso-com.mail.protection.outlook.com Hello [192.0.2.9]\r\n250-SIZE 157286400\r\n250-PIPELINING\r\n250-DSN\r\n250-ENHANCEDSTATUSCODES\r\n250-STARTTLS\r\n250-8BITMIME\r\n250-BINARYMIME\r\n250-CHUNKING\r\n250 SMTPUTF8\r\n',
      smtpServer: '250-mx.fixture.test Nice to meet you, [127.0.0.1]\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-AUTH=LOGIN PLAIN\r\n250 STARTTLS\r\n',
    };
    const postfix = replies(new ReplyReader().feed(Buffer.from(samples.postfix)));
    expect(postfix).toHaveLength(1);
    const p = parseEhlo(postfix[0]!.lines);
    expect(p.greetingHost).toBe('mail.contoso.com');
    expect(p.capabilities).toMatchObject({ starttls: true, size: 10240000, pipelining: true, eightBitMime: true, smtpUtf8: true, chunking: true, requireTls: false, auth: [] });
    const exim = parseEhlo(replies(new ReplyReader().feed(Buffer.from(samples.exim)))[0]!.lines);
    expect(exim.capabilities.auth).toEqual(['PLAIN', 'LOGIN']);
    const exchange = parseEhlo(replies(new ReplyReader().feed(Buffer.from(samples.exchange)))[0]!.lines);
    expect(exchange.greetingHost).toBe('contoso-com.mail.protection.outlook.com');
    expect(exchange.capabilities).toMatchObject({ starttls: true, chunking: true, size: 157286400 });
    const smtpServer = parseEhlo(replies(new ReplyReader().feed(Buffer.from(samples.smtpServer)))[0]!.lines);
    expect(smtpServer.capabilities.auth).toEqual(['LOGIN', 'PLAIN']);
  });

  it('assembles replies split across chunks at any byte, bare LF too', () => {
    const text = '220-first\r\n220 second\n250 ok\r\n';
    const reader = new ReplyReader();
    const events: ReaderEvent[] = [];
    for (const byte of Buffer.from(text)) events.push(...reader.feed(Buffer.from([byte])));
    expect(replies(events)).toEqual([{ code: 220, lines: ['first', 'second'] }, { code: 250, lines: ['ok'] }]);
  });

  it('refuses non-SMTP bytes from the first ones, before any line end', () => {
    expect(errors(new ReplyReader().feed(Buffer.from('HTTP/1.1 400')))).toEqual(['not-smtp']);
    expect(errors(new ReplyReader().feed(Buffer.from([0x16, 0x03, 0x01])))).toEqual(['not-smtp']);
    expect(errors(new ReplyReader().feed(Buffer.from('22')))).toEqual([]);
  });

  it('rejects a continuation line with another code', () => {
    expect(errors(new ReplyReader().feed(Buffer.from('250-a\r\n251 b\r\n')))).toEqual(['not-smtp']);
  });

  it('caps line length, lines per reply and total bytes; holds at most one line', () => {
    const reader = new ReplyReader({ maxLineBytes: 100, maxLinesPerReply: 5, maxTotalBytes: 10_000 });
    expect(errors(reader.feed(Buffer.from(`220 ${'a'.repeat(90)}`)))).toEqual([]);
    expect(reader.pendingBytes).toBe(94);
    expect(errors(reader.feed(Buffer.from('a'.repeat(10))))).toEqual(['line-too-long']);
    expect(reader.pendingBytes).toBe(0);
    expect(reader.feed(Buffer.from('250 ok\r\n'))).toEqual([]);

    const lines = new ReplyReader({ maxLineBytes: 100, maxLinesPerReply: 5, maxTotalBytes: 10_000 });
    expect(errors(lines.feed(Buffer.from('220-x\r\n'.repeat(10))))).toEqual(['too-many-lines']);

    const total = new ReplyReader({ maxLineBytes: 100, maxLinesPerReply: 1000, maxTotalBytes: 50 });
    expect(errors(total.feed(Buffer.from('250 ok\r\n'.repeat(10))))).toEqual(['too-much-data']);
  });
});

describe('transcript', () => {
  it('escapes control and non-ASCII bytes and the backslash', () => {
    expect(escapeBytes(Buffer.from([0x32, 0x32, 0x30, 0x20, 0x1b, 0x5b, 0x00, 0xff, 0x5c]))).toBe('220 \\x1b[\\x00\\xff\\\\');
    expect(escapeBytes(Buffer.from('abcdef'), 3)).toBe('abc…');
  });

  it('keeps at most maxLines lines and says it truncated', () => {
    const transcript = new Transcript(() => 1, { maxLines: 3, maxCharsPerLine: 10 });
    for (let i = 0; i < 10; i++) transcript.sent(`line ${i}`);
    const lines = transcript.toArray();
    expect(lines).toHaveLength(4);
    expect(lines[3]?.text).toMatch(/7 more lines/);
    expect(transcript.truncated).toBe(true);
  });

  it('reads the host from a banner only when it looks like a name', () => {
    expect(bannerHostOf('mx.contoso.com ESMTP Postfix')).toBe('mx.contoso.com');
    expect(bannerHostOf('<script>alert(1)</script> ESMTP')).toBeNull();
  });
});
