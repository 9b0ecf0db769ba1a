import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { classifySocketError } from '../../src-main/engine/smtp/socket-factory';
import { probeSmtp } from '../../src-main/engine/smtp/index';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`connect ${code}`), { code });

describe('network failures users must tell apart', () => {
  it.each([
    ['ECONNREFUSED', 'refused'],
    ['ETIMEDOUT', 'timeout'],
    ['EHOSTUNREACH', 'unreachable'],
    ['ENETUNREACH', 'unreachable'],
    ['EADDRNOTAVAIL', 'unreachable'],
    ['ECONNRESET', 'reset'],
    ['EPIPE', 'reset'],
    ['EPROTO', 'error'],
  ])('%s -> %s', (code, failure) => {
    expect(classifySocketError(errno(code))).toMatchObject({ failure, code });
  });

  it('an unreachable network becomes SMTP_HOST_UNREACHABLE, not a timeout', async () => {
    // The socket factory reports what the OS would say for an IPv6 address on a network without IPv6.
    const report = await probeSmtp({
      host: 'mx.example.test', address: '2001:db8::25', port: 25,
      timeouts: { connectMs: 1000, totalMs: 2000 },
      socketFactory: {
        connect: () => {
          const socket = new net.Socket();
          setImmediate(() => socket.destroy(errno('ENETUNREACH')));
          return socket;
        },
        startTls: () => { throw new Error('unused'); },
      },
    });
    expect(report.findings.map((f) => f.code)).toEqual(['SMTP_HOST_UNREACHABLE']);
    expect(report.findings[0]?.subject).toBe('mx.example.test ([2001:db8::25]:25)');
  });
});
