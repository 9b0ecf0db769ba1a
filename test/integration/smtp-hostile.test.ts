import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeSmtp } from '../../src-main/engine/smtp/index';
import type { ProbeReport } from '../../src-main/contract/probe';
import { closedPort, hostile, scripted, startRawServer, type RunningServer } from '../support/smtp-servers';

/**
 * Broken and hostile servers: each probe must end within its deadline, with
 * the finding that names what happened, and read only bounded data.
 */
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const STAGE_MS = 1000;
const TOTAL_MS = 2500;
const timeouts = { connectMs: STAGE_MS, bannerMs: STAGE_MS, commandMs: STAGE_MS, tlsMs: STAGE_MS, totalMs: TOTAL_MS };

async function probeAgainst(behaviour: (socket: net.Socket) => void): Promise<{ report: ProbeReport; wallMs: number }> {
  const server = await startRawServer(behaviour);
  servers.push(server);
  const started = performance.now();
  const report = await probeSmtp({ host: 'mx.hostile.test', address: server.host, port: server.port, timeouts, heloName: 'probe.test' });
  return { report, wallMs: performance.now() - started };
}

function codes(report: ProbeReport): string[] {
  return report.findings.map((f) => f.code);
}

describe('SMTP probe against hostile servers', () => {
  it('no banner: SMTP_BANNER_TIMEOUT within the banner deadline', async () => {
    const { report, wallMs } = await probeAgainst(hostile.silent());
    expect(codes(report)).toContain('SMTP_BANNER_TIMEOUT');
    expect(report.stages.map((s) => `${s.name}:${s.status}`)).toEqual(['connect:ok', 'banner:failed']);
    expect(wallMs).toBeLessThan(STAGE_MS + 500);
  });

  it('banner one byte per second: SMTP_BANNER_TIMEOUT, the partial bytes in evidence', async () => {
    const { report, wallMs } = await probeAgainst(hostile.trickle(200));
    const banner = report.findings.find((f) => f.code === 'SMTP_BANNER_TIMEOUT');
    expect(banner?.message).toMatch(/byte\(s\) of an unfinished reply/);
    expect(banner?.evidence.join(' ')).toMatch(/partial: 220/);
    expect(wallMs).toBeLessThan(STAGE_MS + 500);
  });

  it('a 5 MB line without CRLF: SMTP_REPLY_TOO_LONG, reading stops at the line cap', async () => {
    const { report, wallMs } = await probeAgainst(hostile.hugeLine());
    expect(codes(report)).toContain('SMTP_REPLY_TOO_LONG');
    expect(report.transcript.some((l) => l.direction === 'event' && /longer than 2048 bytes/.test(l.text))).toBe(true);
    expect(JSON.stringify(report).length).toBeLessThan(50_000);
    expect(wallMs).toBeLessThan(STAGE_MS + 500);
  });

  it('endless 220- continuation lines: SMTP_REPLY_TOO_MANY_LINES, transcript bounded', async () => {
    const { report, wallMs } = await probeAgainst(hostile.endlessContinuation());
    expect(codes(report)).toContain('SMTP_REPLY_TOO_MANY_LINES');
    expect(report.transcript.length).toBeLessThanOrEqual(402);
    expect(wallMs).toBeLessThan(STAGE_MS + 500);
  });

  it('binary garbage: SMTP_PROTOCOL_ERROR at once, bytes escaped in the transcript', async () => {
    const { report, wallMs } = await probeAgainst(hostile.garbage());
    expect(codes(report)).toContain('SMTP_PROTOCOL_ERROR');
    expect(report.findings.find((f) => f.code === 'SMTP_PROTOCOL_ERROR')?.message).toMatch(/not an SMTP reply/);
    for (const line of report.transcript) expect(line.text).toMatch(/^[\x20-\x7e]*$/);
    expect(wallMs).toBeLessThan(STAGE_MS);
  });

  it('STARTTLS accepted, then a stalled handshake: TLS_HANDSHAKE_TIMEOUT, and EncryptionOnly predicted to fail', async () => {
    const { report, wallMs } = await probeAgainst(hostile.stalledStarttls());
    expect(codes(report)).toContain('TLS_HANDSHAKE_TIMEOUT');
    expect(report.starttls).toBe(true);
    expect(report.stages.find((s) => s.name === 'tls')?.status).toBe('failed');
    const encryptionOnly = report.predictions.find((p) => p.setting === 'EncryptionOnly');
    expect(encryptionOnly).toMatchObject({ verdict: 'fail', ndr: '450 4.4.317' });
    expect(wallMs).toBeLessThan(STAGE_MS + 500);
  });

  it('reset right after accept: SMTP_CONNECTION_RESET, not a timeout', async () => {
    const { report, wallMs } = await probeAgainst(hostile.resetAfterAccept());
    expect(codes(report)).toContain('SMTP_CONNECTION_RESET');
    expect(codes(report)).not.toContain('SMTP_BANNER_TIMEOUT');
    expect(wallMs).toBeLessThan(STAGE_MS);
  });

  it('421 at EHLO: SMTP_SERVICE_UNAVAILABLE with the reply text', async () => {
    const { report, wallMs } = await probeAgainst(hostile.ehlo421());
    const found = report.findings.find((f) => f.code === 'SMTP_SERVICE_UNAVAILABLE');
    expect(found?.evidence.join('\n')).toContain('421 4.3.2 Service shutting down');
    expect(report.stages.find((s) => s.name === 'ehlo')?.status).toBe('failed');
    expect(wallMs).toBeLessThan(STAGE_MS);
  });

  it('each prediction\'s reason comes from the stage that failed: 421 to EHLO is not "no STARTTLS"', async () => {
    const { report } = await probeAgainst(hostile.ehlo421());
    expect(report.failure).toMatchObject({ stage: 'ehlo', kind: 'reply', reply: { code: 421, text: '4.3.2 Service shutting down, closing transmission channel' } });
    for (const setting of ['EncryptionOnly', 'CertificateValidation', 'DomainValidation']) {
      const prediction = report.predictions.find((p) => p.setting === setting);
      expect(prediction?.reason).toMatch(/^The server answered EHLO with 421 4\.3\.2 Service shutting down/);
      expect(prediction?.reason).not.toMatch(/STARTTLS;|does not offer STARTTLS/);
      expect(prediction?.ndr).toBe('421 4.3.2');
    }
  });

  it('each prediction\'s reason comes from the stage that failed: a banner timeout is not "closed abruptly (4.4.318)"', async () => {
    const { report } = await probeAgainst(hostile.silent());
    expect(report.failure).toMatchObject({ stage: 'banner', kind: 'timeout' });
    const prediction = report.predictions.find((p) => p.setting === 'EncryptionOnly');
    expect(prediction?.reason).toMatch(/^No answer to the greeting \(banner\) in time/);
    expect(prediction?.reason).not.toMatch(/4\.4\.318|closed abruptly/);
    expect(prediction?.ndr).toBeUndefined();
  });

  it('STARTTLS answered with 421 is the server closing the session, not a refused STARTTLS', async () => {
    const { report } = await probeAgainst(scripted('220 busy.example ESMTP\r\n', (command) => {
      if (/^EHLO/i.test(command)) return '250-busy.example\r\n250 STARTTLS\r\n';
      if (/^STARTTLS/i.test(command)) return '421 4.7.0 Too many TLS sessions\r\n';
      return '250 ok\r\n';
    }));
    expect(report.failure).toMatchObject({ stage: 'starttls', kind: 'reply', reply: { code: 421 } });
    expect(report.predictions.find((p) => p.setting === 'EncryptionOnly')?.reason).toMatch(/^The server answered STARTTLS with 421 4\.7\.0 Too many TLS sessions/);
  });

  it('a refused connection stays a connection failure; a finished probe has no failure', async () => {
    const port = await closedPort();
    const refused = await probeSmtp({ host: 'mx.hostile.test', address: '127.0.0.1', port, timeouts });
    expect(refused.failure).toMatchObject({ stage: 'connect', kind: 'refused' });
    const { report } = await probeAgainst(scripted('220 fine.example ESMTP\r\n', () => '250 fine.example\r\n'));
    expect(report.failure).toBeUndefined();
    expect(report.predictions.find((p) => p.setting === 'EncryptionOnly')?.reason).toMatch(/does not offer STARTTLS/);
  });

  it('connection refused: SMTP_CONNECT_REFUSED, and the connector prediction names 4.4.316', async () => {
    const port = await closedPort();
    const started = performance.now();
    const report = await probeSmtp({ host: 'mx.hostile.test', address: '127.0.0.1', port, timeouts });
    expect(codes(report)).toEqual(['SMTP_CONNECT_REFUSED']);
    expect(report.predictions[0]).toMatchObject({ setting: 'EncryptionOnly', verdict: 'unknown', ndr: '450 4.4.316' });
    expect(performance.now() - started).toBeLessThan(STAGE_MS);
  });

  it('connect that never completes: SMTP_CONNECT_TIMEOUT at the connect deadline (socket factory that never connects)', async () => {
    const started = performance.now();
    const report = await probeSmtp({
      host: 'mx.hostile.test', address: '127.0.0.1', port: 25, timeouts,
      socketFactory: { connect: () => new net.Socket(), startTls: () => { throw new Error('unused'); } },
    });
    expect(codes(report)).toEqual(['SMTP_CONNECT_TIMEOUT']);
    expect(report.predictions[0]?.ndr).toBe('450 4.4.315');
    expect(performance.now() - started).toBeLessThan(STAGE_MS + 300);
  });

  it('the whole-probe deadline caps the sum of the stages', async () => {
    // The banner trickles in within its stage deadline, but the whole probe is capped at 600 ms.
    const server = await startRawServer(hostile.trickle(50));
    servers.push(server);
    const started = performance.now();
    const report = await probeSmtp({ host: 'mx.hostile.test', address: server.host, port: server.port, timeouts: { ...timeouts, bannerMs: 5000, totalMs: 600 } });
    expect(codes(report)).toContain('SMTP_BANNER_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(1100);
  });

  it('a server that closes before greeting: SMTP_CONNECTION_CLOSED', async () => {
    const { report, wallMs } = await probeAgainst((socket) => socket.end());
    expect(codes(report)).toEqual(['SMTP_CONNECTION_CLOSED']);
    expect(wallMs).toBeLessThan(STAGE_MS);
  });

  it('421 in the greeting: SMTP_SERVICE_UNAVAILABLE', async () => {
    const { report } = await probeAgainst(scripted('421 4.7.0 mx.hostile.test Too many connections from your IP\r\n', () => null));
    expect(report.findings[0]).toMatchObject({ code: 'SMTP_SERVICE_UNAVAILABLE' });
    expect(report.findings[0]?.evidence[0]).toContain('Too many connections');
  });

  it('EHLO refused: falls back to HELO, says so, and STARTTLS is not offered', async () => {
    const { report } = await probeAgainst(scripted('220 old.example SMTP\r\n', (command) => (/^EHLO/i.test(command) ? '502 5.5.2 Command not recognized\r\n' : '250 old.example\r\n')));
    expect(report.stages.map((s) => `${s.name}:${s.status}`)).toEqual(['connect:ok', 'banner:ok', 'ehlo:failed', 'helo:ok', 'quit:ok']);
    expect(codes(report)).toEqual(expect.arrayContaining(['SMTP_EHLO_REJECTED', 'STARTTLS_NOT_OFFERED', 'SMTP_HOSTNAME_DIFFERS']));
  });

  it('STARTTLS offered but refused with 454: STARTTLS_REJECTED', async () => {
    const { report } = await probeAgainst(scripted('220 mx.hostile.test ESMTP\r\n', (command) => {
      if (/^EHLO/i.test(command)) return '250-mx.hostile.test\r\n250 STARTTLS\r\n';
      if (/^STARTTLS/i.test(command)) return '454 4.7.0 TLS not available due to local problem\r\n';
      return '250 ok\r\n';
    }));
    expect(codes(report)).toContain('STARTTLS_REJECTED');
    expect(report.predictions.find((p) => p.setting === 'EncryptionOnly')?.reason).toMatch(/refused STARTTLS/);
  });

  it('cancellation through the signal ends the probe at once', async () => {
    const server = await startRawServer(hostile.silent());
    servers.push(server);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const report = await probeSmtp({ host: 'mx.hostile.test', address: server.host, port: server.port, timeouts, signal: controller.signal });
    expect(codes(report)).toEqual(['SMTP_PROBE_CANCELLED']);
    // Ended by the cancel, not by the banner deadline that would have come next.
    expect(performance.now() - started).toBeLessThan(STAGE_MS);
  });

  it('refuses command arguments with line breaks (no SMTP command injection)', async () => {
    await expect(probeSmtp({ host: 'h.test', address: '127.0.0.1', port: 1, rcpt: 'a@b.test\r\nDATA' })).rejects.toThrow(/printable ASCII/);
  });
});

