/**
 * The partner benchmark's servers, in their own process so their work does
 * not count against the run measured: the project's DNS server with N
 * partner domains per case, and minimal STARTTLS servers on 127.0.0.x (one
 * port). Prints one JSON line ({ dns, port, caPem }) and serves until stdin
 * closes.
 *
 *   node --import tsx bench/support/partner-lab-process.ts <domainsPerCase>
 *
 * Cases: `s<i>.shared.bench` whose MX are 10 shared hosts (mx0..9.hoster.bench,
 * 127.0.0.61-70); `d<i>.distinct.bench` whose MX names are all different
 * (mx.d<i>.distinct.bench), spread over 8 servers (127.0.0.71-78).
 */
import { startDnsServer, type Zone, type ZoneRecord } from '../../test/support/dns-server';
import { createCa, fullChain, issueCert } from '../../test/support/pki';
import { startMinimalSmtpServer } from '../../test/support/smtp-servers';

const count = Number(process.argv[2] ?? 1000);
const SHARED = Array.from({ length: 10 }, (_, i) => ({ host: `mx${i}.hoster.bench`, address: `127.0.0.${61 + i}` }));
const DISTINCT_ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${71 + i}`);

const ca = createCa({ commonName: 'Partner Bench Root' });
const hoster = issueCert(ca, { commonName: 'mx0.hoster.bench', altNames: ['*.hoster.bench'] });
const distinct = issueCert(ca, { commonName: 'mx.distinct.bench', altNames: ['*.distinct.bench'] });
let port = 0;
for (let attempt = 0; attempt < 20 && port === 0; attempt++) {
  const candidate = 20_000 + Math.floor(Math.random() * 30_000);
  try {
    await Promise.all([
      ...SHARED.map((s) => startMinimalSmtpServer({ name: s.host, key: hoster.keyPem, cert: fullChain(hoster), listenHost: s.address, listenPort: candidate })),
      ...DISTINCT_ADDRESSES.map((address) => startMinimalSmtpServer({ name: 'mx.distinct.bench', key: distinct.keyPem, cert: fullChain(distinct), listenHost: address, listenPort: candidate })),
    ]);
    port = candidate;
  } catch {
    // taken on one address: try another port (servers already bound stay, unused)
  }
}
const zone: Record<string, ZoneRecord[]> = {};
for (const s of SHARED) zone[s.host] = [{ type: 'A', address: s.address }];
for (let i = 0; i < count; i++) {
  const a = SHARED[i % 10]!;
  const b = SHARED[(i + 1) % 10]!;
  zone[`s${i}.shared.bench`] = [{ type: 'MX', preference: 10, exchange: a.host }, { type: 'MX', preference: 20, exchange: b.host }];
  zone[`d${i}.distinct.bench`] = [{ type: 'MX', preference: 10, exchange: `mx.d${i}.distinct.bench` }];
  zone[`mx.d${i}.distinct.bench`] = [{ type: 'A', address: DISTINCT_ADDRESSES[i % DISTINCT_ADDRESSES.length]! }];
}
const dns = await startDnsServer({ zone: zone as Zone });
process.stdout.write(`${JSON.stringify({ dns: dns.address, port, caPem: ca.certPem })}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
