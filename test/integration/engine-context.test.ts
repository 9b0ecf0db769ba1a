import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckReportSchema } from '../../src-main/contract/check';
import { runCheck } from '../../src-main/engine/checks/index';
import { createEngineContext } from '../../src-main/engine/context';
import { createMxProber, nodeSocketFactory, probeHost, type SocketFactory } from '../../src-main/engine/smtp/index';
import { startDnsServer, type RunningDnsServer, type Zone, type ZoneRecord } from '../support/dns-server';
import { scripted, startRawServer } from '../support/smtp-servers';

/**
 * The engine context of one session: probes of the same host/address/port
 * made once per run, every network step under one limiter, and a zone built
 * to exhaust senders (40 MX hosts of 100 addresses each) bounded the way
 * real MTAs bound it.
 */
const timeouts = { connectMs: 2000, bannerMs: 2000, commandMs: 2000, tlsMs: 2000, totalMs: 6000 };
let smtp: Awaited<ReturnType<typeof startRawServer>>;
let dns: RunningDnsServer;

const plainSmtp = scripted('220 mx.ctx.test ESMTP\r\n', (command) => (/^QUIT/i.test(command) ? '221 bye\r\n' : '250 mx.ctx.test\r\n'));

function hostileZone(): Zone {
  const zone: Record<string, ZoneRecord[]> = { 'ctx.test': [{ type: 'A', address: '127.0.0.1' }], 'many.test': [] };
  for (let host = 0; host < 40; host++) {
    const name = `mx${host}.many.test`;
    zone['many.test']!.push({ type: 'MX', preference: host, exchange: name });
    // Every address is on loopback: 127.0.0.1 answers, the others refuse at once.
    zone[name] = Array.from({ length: 100 }, (_, i) => ({ type: 'A' as const, address: i === 0 ? '127.0.0.1' : `127.0.${host + 1}.${i + 1}` }));
  }
  zone['two.ctx.test'] = [{ type: 'A', address: '127.0.0.1' }, { type: 'A', address: '127.0.0.2' }];
  return zone;
}

beforeAll(async () => {
  smtp = await startRawServer(plainSmtp);
  dns = await startDnsServer({ zone: hostileZone() });
});
afterAll(async () => {
  await Promise.all([smtp?.close(), dns?.close()]);
});

/** A socket factory that counts conversations at once (the limiter's effect, seen from the wire). */
function countingFactory(): SocketFactory & { readonly maxOpen: number; readonly opened: number } {
  let open = 0;
  let maxOpen = 0;
  let opened = 0;
  return {
    get maxOpen() { return maxOpen; },
    get opened() { return opened; },
    connect(options) {
      const socket: net.Socket = nodeSocketFactory.connect(options);
      opened++;
      open++;
      maxOpen = Math.max(maxOpen, open);
      // Done with a socket: when we half-close it after QUIT ('finish'; the kernel finishes the close) or it closes.
      let counted = true;
      const done = (): void => { if (counted) { counted = false; open--; } };
      socket.once('finish', done);
      socket.once('close', done);
      return socket;
    },
    startTls: nodeSocketFactory.startTls,
  };
}

describe('EngineContext', () => {
  it('probes the same host, address, port and options once per run; a new run probes again', async () => {
    const context = createEngineContext({ dns: { servers: [dns.address], timeoutMs: 2000 } });
    const before = smtp.connections;
    const options = { host: 'mx.ctx.test', address: '127.0.0.1', port: smtp.port, heloName: 'probe.test', timeouts };
    const [first, second] = await Promise.all([context.probe(options), context.probe(options)]);
    expect(second).toBe(first);
    expect(smtp.connections - before).toBe(1);
    await context.startRun().probe(options);
    expect(smtp.connections - before).toBe(2);
    await context.probe({ ...options, heloName: 'other.test' });
    expect(smtp.connections - before).toBe(3);
  });

  it('resolve-then-probe: every address of a host name, each its own report', async () => {
    const context = createEngineContext({ dns: { servers: [dns.address], timeoutMs: 2000 } });
    const result = await probeHost(context, { host: 'two.ctx.test', port: smtp.port, heloName: 'probe.test', timeouts, dane: false });
    expect(result.addresses).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(result.probes.map((p) => p.address)).toEqual(['127.0.0.1', '127.0.0.2']);
    expect(result.probes[0]?.stages.map((s) => s.name)).toContain('banner');
    expect(result.findings).toEqual([]);
    const none = await probeHost(context, { host: 'missing.ctx.test', port: smtp.port, timeouts });
    expect(none.probes).toEqual([]);
    expect(none.addressError).toMatch(/^missing\.ctx\.test has no address to connect to \(A: nxdomain; AAAA: nxdomain\)$/);
  });
});

describe('bounds: 40 MX hosts of 100 addresses each', () => {
  it('looks up and probes a bounded number, says so in findings, under one limiter, with a bounded report', async () => {
    const factory = countingFactory();
    const context = createEngineContext({
      dns: { servers: [dns.address], timeoutMs: 2000 },
      socketFactory: factory,
      bounds: { concurrency: 5 },
    });
    const queriesBefore = dns.log.length;
    const report = await runCheck('many.test', {
      resolver: context.resolver,
      clock: context.clock,
      timeoutMs: 2000,
      bounds: context.bounds,
      smtpPort: smtp.port,
      mtaStsPort: 1,
      probeMx: createMxProber({ context, resolver: context.resolver, port: smtp.port, heloName: 'probe.test', timeouts }),
    });
    CheckReportSchema.parse(report);
    const { maxMxHosts, maxAddressesPerHost } = context.bounds;
    expect(report.mx).toHaveLength(maxMxHosts);
    const probes = report.mx.flatMap((m) => m.probes);
    expect(probes).toHaveLength(maxMxHosts * maxAddressesPerHost);
    expect(factory.opened).toBe(maxMxHosts * maxAddressesPerHost);
    // The limiter: never more than 5 sockets open at once, whatever the zone asks for.
    expect(factory.maxOpen).toBeLessThanOrEqual(5);
    expect(report.mx[0]?.probes[0]?.stages.find((s) => s.name === 'banner')?.status).toBe('ok');

    const capped = report.findings.find((f) => f.code === 'MX_HOSTS_CAPPED');
    expect(capped?.message).toBe(`many.test has 40 MX hosts; only the first ${maxMxHosts} in preference order were looked up and probed, ${40 - maxMxHosts} left out.`);
    const addressFindings = report.findings.filter((f) => f.code === 'SMTP_ADDRESSES_CAPPED');
    expect(addressFindings).toHaveLength(maxMxHosts);
    expect(addressFindings[0]?.message).toMatch(/^mx0\.many\.test has 100 addresses; only 4 were probed/);

    // DNS: the MX answer, then per kept host A, AAAA, TLSA and a PTR per probed address; nothing for the hosts left out.
    const asked = dns.log.slice(queriesBefore);
    expect(asked.some((q) => q.includes('mx39.many.test'))).toBe(false);
    expect(asked.filter((q) => / PTR$/.test(q)).length).toBeLessThanOrEqual(maxMxHosts * maxAddressesPerHost);
    expect(asked.length).toBeLessThan(200);
    // What the report stores is bounded too (transcripts, certificate lists, address lists).
    expect(JSON.stringify(report).length).toBeLessThan(2_000_000);
  });
});
