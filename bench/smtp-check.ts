/**
 * How close does `check` with SMTP probes get to its floor?
 *
 * A domain with three MX hosts; every DNS exchange goes through a proxy that
 * adds a fixed delay, every SMTP connection through a TCP proxy that holds
 * each server reply for the same delay, and the socket factory spends one
 * delay on connecting (the SYN/SYN-ACK round trip). The floor is the critical
 * path: MX lookup, address lookup, connect, banner, EHLO, STARTTLS, TLS
 * handshake (1 RTT with TLS 1.3), EHLO over TLS = 8 round trips; QUIT is not
 * awaited. Prints wall time / RTT next to the floor, and peak memory.
 *
 *   npx tsx bench/smtp-check.ts [delayMs=50] [runs=5]
 */
import net from 'node:net';
import tls from 'node:tls';
import { runCheck } from '../src-main/engine/checks/index';
import { createResolver } from '../src-main/engine/dns/index';
import { systemClock } from '../src-main/engine/clock';
import { createMxProber, type SocketFactory } from '../src-main/engine/smtp/index';
import { startDnsServer } from '../test/support/dns-server';
import { createCa, fullChain, issueCert } from '../test/support/pki';
import { startMinimalSmtpServer } from '../test/support/smtp-servers';
import { startDnsDelayProxy, startTcpDelayProxy, type RunningProxy } from './support/delay-proxy';

const delayMs = Number(process.argv[2] ?? 50);
const runs = Number(process.argv[3] ?? 5);
const FLOOR = 8;
const HOSTS = ['mx1.bench.test', 'mx2.bench.test', 'mx3.bench.test'] as const;
const ADDRESSES = ['127.0.0.11', '127.0.0.12', '127.0.0.13'] as const;

const root = createCa({ commonName: 'Bench Root' });
const leaf = issueCert(root, { commonName: HOSTS[0], altNames: [...HOSTS] });
const servers = await Promise.all(HOSTS.map((name) => startMinimalSmtpServer({ name, key: leaf.keyPem, cert: fullChain(leaf) })));
const smtpProxies: RunningProxy[] = await Promise.all(servers.map((s) => startTcpDelayProxy({ upstream: { host: s.host, port: s.port }, delayMs })));
const proxyFor = new Map<string, number>(ADDRESSES.map((address, i) => [address, smtpProxies[i]!.port]));

const dns = await startDnsServer({
  zone: {
    'bench.test': [
      ...HOSTS.map((exchange, i) => ({ type: 'MX' as const, preference: (i + 1) * 10, exchange })),
      { type: 'TXT', strings: ['v=spf1 mx -all'] },
    ],
    '_dmarc.bench.test': [{ type: 'TXT', strings: ['v=DMARC1; p=reject; rua=mailto:dmarc@bench.test'] }],
    ...Object.fromEntries(HOSTS.map((host, i) => [host, [{ type: 'A' as const, address: ADDRESSES[i]! }]])),
  },
});
const dnsProxy = await startDnsDelayProxy({ upstream: { host: '127.0.0.1', port: dns.port }, delayMs });

/** Routes each MX address to its delay proxy and spends one delay on the TCP handshake. */
const socketFactory: SocketFactory = {
  connect: ({ host }) => {
    const socket = new net.Socket();
    setTimeout(() => { if (!socket.destroyed) socket.connect(proxyFor.get(host) ?? 9, '127.0.0.1'); }, delayMs);
    return socket;
  },
  startTls: (socket, options) => tls.connect({ ...options, socket }),
};

let peakRss = 0;
let peakHeap = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 5);

async function once(): Promise<{ wall: number; probes: number; failures: string[] }> {
  const resolver = createResolver({ servers: [`127.0.0.1:${dnsProxy.port}`], timeoutMs: 5000 });
  const probeMx = createMxProber({ resolver, port: 25, socketFactory, trust: [root.certPem], timeouts: { connectMs: 5000, bannerMs: 5000, commandMs: 5000, tlsMs: 5000, totalMs: 20_000 }, heloName: 'bench.local' });
  const started = performance.now();
  const report = await runCheck('bench.test', { resolver, clock: systemClock, timeoutMs: 5000, probeMx });
  const wall = performance.now() - started;
  const probes = report.mx.flatMap((m) => m.probes);
  if (process.env['BENCH_VERBOSE']) for (const p of probes) console.log(p.host, p.elapsedMs, p.stages.map((s) => `${s.name}@${s.startMs}+${s.durationMs}`).join(' '));
  const failures = probes.flatMap((p) => p.stages.filter((s) => s.status !== 'ok').map((s) => `${p.host} ${s.name}: ${s.detail ?? ''}`));
  return { wall, probes: probes.length, failures };
}

console.log(`check of bench.test (3 MX) through proxies adding ${delayMs} ms to every DNS exchange, SMTP reply and TCP connect; ${runs} runs after one warm-up (median)`);
await once();
const walls: number[] = [];
let probes = 0;
for (let i = 0; i < runs; i++) {
  const result = await once();
  if (result.failures.length > 0) throw new Error(`probe stages failed: ${result.failures.join('; ')}`);
  walls.push(result.wall);
  probes = result.probes;
}
clearInterval(sampler);
walls.sort((a, b) => a - b);
const wall = walls[Math.floor(walls.length / 2)]!;
const perRtt = wall / delayMs;
const ratio = perRtt / FLOOR;
console.log('probes  wall ms  wall/RTT  floor  ratio  peak RSS MB  peak heap MB');
console.log(`${String(probes).padStart(6)}  ${wall.toFixed(0).padStart(7)}  ${perRtt.toFixed(2).padStart(8)}  ${String(FLOOR).padStart(5)}  ${ratio.toFixed(2).padStart(5)}  ${(peakRss / 1048576).toFixed(0).padStart(11)}  ${(peakHeap / 1048576).toFixed(0).padStart(12)}`);
console.log(`ratio ${ratio.toFixed(2)} (target <= 1.25) ${ratio <= 1.25 ? 'MET' : 'NOT MET'}; peak RSS ${(peakRss / 1048576).toFixed(0)} MB (target < 150) ${peakRss < 150 * 1048576 ? 'MET' : 'NOT MET'}`);
await Promise.all([...smtpProxies.map((p) => p.close()), dnsProxy.close(), dns.close(), ...servers.map((s) => s.close())]);
