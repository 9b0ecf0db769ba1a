/**
 * A partner lab on loopback for the partner workbench's tests, e2e and the
 * README: a DNS server with partner domains whose MX hosts run on 127.0.0.x
 * (one SMTP server per address, all on one port), certificates from a lab CA
 * made at start, one for each way a partner can fail.
 *
 * | domain | what it shows |
 * |---|---|
 * | good-bank.test, second-bank.test | Ready: both use the shared host mail.hoster.test |
 * | split-bank.test | Ready with warnings: two MX, no name common to both certificates |
 * | expiring-bank.test | Ready with warnings: certificate expires in 10 days |
 * | selfsigned-bank.test | Not ready: self-signed certificate |
 * | expired-bank.test | Not ready: expired certificate |
 * | notls-bank.test | Not ready: no STARTTLS |
 * | named-bank.test | Not ready when tlsDomain secure.named-bank.test is asked (the certificate names mx.named-bank.test) |
 * | inbound-bank.test | inbound: SPF ranges and the certificate |
 * | down-bank.test | Unreachable: nothing listens |
 * | nullmx-bank.test, missing-bank.test | No mail: null MX, NXDOMAIN |
 */
import net from 'node:net';
import { X509Certificate } from 'node:crypto';
import { startDnsServer, type RunningDnsServer, type Zone } from './dns-server';
import { createCa, fullChain, issueCert, selfSigned, type TestCa } from './pki';
import { startMinimalSmtpServer } from './smtp-servers';

const DAY = 24 * 60 * 60 * 1000;

export interface PartnerLab {
  readonly dns: RunningDnsServer;
  readonly port: number;
  readonly ca: TestCa;
  /** The CA's subject in one line, as a verdict names its trust anchor. */
  readonly caSubject: string;
  /** SMTP connections received, per listening address. */
  connections(): Readonly<Record<string, number>>;
  readonly csv: string;
  /** The lab's DNS zone (for a test that serves it from its own DNS server). */
  readonly zone: Zone;
  close(): Promise<void>;
}

interface LabServer {
  readonly address: string;
  readonly name: string;
  readonly cert?: { certPem: string; keyPem: string; chain: string };
}

/** A port free on every address given (bound then released). */
async function freePort(addresses: readonly string[]): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const servers: net.Server[] = [];
    let ok = true;
    for (const address of addresses) {
      const server = net.createServer();
      const bound = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen(port, address, () => resolve(true));
      });
      if (!bound) { ok = false; break; }
      servers.push(server);
    }
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    if (ok) return port;
  }
  throw new Error('no free port on the lab addresses');
}

export const PARTNER_LAB_CSV = [
  'domain,name,tlsDomain,direction,contact',
  'good-bank.test,Good Bank,,outbound,ops@good-bank.test',
  'second-bank.test,Second Bank,,both,',
  'split-bank.test,Split Bank,,outbound,',
  'expiring-bank.test,Expiring Bank,,outbound,',
  'selfsigned-bank.test,Selfsigned Bank,,outbound,',
  'expired-bank.test,Expired Bank,,outbound,',
  'notls-bank.test,No TLS Bank,,outbound,',
  'named-bank.test,Named Bank,secure.named-bank.test,outbound,',
  'inbound-bank.test,Inbound Bank,,inbound,',
  'down-bank.test,Down Bank,,outbound,',
  'nullmx-bank.test,Null Bank,,outbound,',
  'missing-bank.test,Missing Bank,,outbound,',
].join('\n');

export async function startPartnerLab(options: { readonly nowMs?: number } = {}): Promise<PartnerLab> {
  const now = options.nowMs ?? Date.now();
  const ca = createCa({ commonName: 'Partner Lab Root' });
  const issue = (commonName: string, altNames: readonly string[], validTo?: Date): LabServer['cert'] => {
    const leaf = issueCert(ca, { commonName, altNames, ...(validTo ? { validTo } : {}) });
    return { certPem: leaf.certPem, keyPem: leaf.keyPem, chain: fullChain(leaf) };
  };
  const self = selfSigned({ commonName: 'mx.selfsigned-bank.test' });
  const expired = issueCert(ca, { commonName: 'mx.expired-bank.test', validFrom: new Date(now - 400 * DAY), validTo: new Date(now - 5 * DAY) });
  const servers: LabServer[] = [
    { address: '127.0.0.41', name: 'mail.hoster.test', cert: issue('mail.hoster.test', ['mail.hoster.test', '*.hoster.test']) },
    { address: '127.0.0.42', name: 'mx-a.split-bank.test', cert: issue('mx-a.split-bank.test', ['mx-a.split-bank.test']) },
    { address: '127.0.0.43', name: 'mx-b.split-other.test', cert: issue('mx-b.split-other.test', ['mx-b.split-other.test']) },
    { address: '127.0.0.44', name: 'mx.expiring-bank.test', cert: issue('mx.expiring-bank.test', ['mx.expiring-bank.test'], new Date(now + 10 * DAY + 3_600_000)) },
    { address: '127.0.0.45', name: 'mx.selfsigned-bank.test', cert: { certPem: self.certPem, keyPem: self.keyPem, chain: self.certPem } },
    { address: '127.0.0.46', name: 'mx.expired-bank.test', cert: { certPem: expired.certPem, keyPem: expired.keyPem, chain: fullChain(expired) } },
    { address: '127.0.0.47', name: 'mx.notls-bank.test' },
    { address: '127.0.0.48', name: 'mx.named-bank.test', cert: issue('mx.named-bank.test', ['mx.named-bank.test']) },
    { address: '127.0.0.49', name: 'mx.inbound-bank.test', cert: issue('mx.inbound-bank.test', ['mx.inbound-bank.test', 'out.inbound-bank.test']) },
  ];
  const port = await freePort([...servers.map((s) => s.address), '127.0.0.50']);
  const running = await Promise.all(servers.map(async (s) => ({
    address: s.address,
    server: await startMinimalSmtpServer({ name: s.name, listenHost: s.address, listenPort: port, ...(s.cert ? { key: s.cert.keyPem, cert: s.cert.chain } : {}) }),
  })));
  const a = (address: string) => [{ type: 'A' as const, address }];
  const mx = (...hosts: string[]) => hosts.map((exchange, i) => ({ type: 'MX' as const, preference: (i + 1) * 10, exchange }));
  const zone: Zone = {
    'good-bank.test': mx('mail.hoster.test'),
    'second-bank.test': [...mx('mail.hoster.test'), { type: 'TXT', strings: ['v=spf1 ip4:40.92.10.0/24 -all'] }],
    'split-bank.test': mx('mx-a.split-bank.test', 'mx-b.split-other.test'),
    'expiring-bank.test': mx('mx.expiring-bank.test'),
    'selfsigned-bank.test': mx('mx.selfsigned-bank.test'),
    'expired-bank.test': mx('mx.expired-bank.test'),
    'notls-bank.test': mx('mx.notls-bank.test'),
    'named-bank.test': mx('mx.named-bank.test'),
    'inbound-bank.test': [...mx('mx.inbound-bank.test'), { type: 'TXT', strings: ['v=spf1 ip4:40.92.20.0/23 include:_spf.inbound-bank.test ~all'] }],
    '_spf.inbound-bank.test': [{ type: 'TXT', strings: ['v=spf1 ip4:52.100.1.7 ip6:2a01:111:f400::/48 -all'] }],
    'down-bank.test': mx('mx.down-bank.test'),
    'nullmx-bank.test': [{ type: 'MX', preference: 0, exchange: '' }],
    'mail.hoster.test': a('127.0.0.41'),
    'mx-a.split-bank.test': a('127.0.0.42'),
    'mx-b.split-other.test': a('127.0.0.43'),
    'mx.expiring-bank.test': a('127.0.0.44'),
    'mx.selfsigned-bank.test': a('127.0.0.45'),
    'mx.expired-bank.test': a('127.0.0.46'),
    'mx.notls-bank.test': a('127.0.0.47'),
    'mx.named-bank.test': a('127.0.0.48'),
    'mx.inbound-bank.test': a('127.0.0.49'),
    'mx.down-bank.test': a('127.0.0.50'),
  };
  const dns = await startDnsServer({ zone });
  return {
    dns,
    port,
    ca,
    caSubject: new X509Certificate(ca.certPem).subject.split('\n').filter(Boolean).join(', '),
    connections: () => Object.fromEntries(running.map((r) => [r.address, r.server.connections])),
    csv: PARTNER_LAB_CSV,
    zone,
    close: async () => {
      await Promise.all(running.map((r) => r.server.close()));
      await dns.close();
    },
  };
}
