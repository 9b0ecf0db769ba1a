import dns2 from 'dns2';
import type { Socket } from 'node:net';
import type { Server as HttpsServer } from 'node:https';
import { encodeTlsaRdata, TYPE_CODE } from '../../src-main/engine/dns/wire';

/**
 * An authoritative DNS server for tests: dns2's UDP and TCP servers on
 * 127.0.0.1, on one random port shared by both, serving fixture zones.
 *
 * Behaves like an authoritative server: a CNAME is answered alone (the client
 * must follow it), a name with no records of the asked type is NODATA, an
 * unknown name NXDOMAIN. Per-name behaviours make the failures users meet:
 * silence (timeout), SERVFAIL, REFUSED, and UDP answers cut short (TC) that
 * only TCP completes.
 */
const { Packet } = dns2;

export type ZoneRecord =
  | { readonly type: 'A' | 'AAAA'; readonly address: string }
  | { readonly type: 'MX'; readonly preference: number; readonly exchange: string }
  | { readonly type: 'TXT'; readonly strings: readonly string[] }
  | { readonly type: 'CNAME' | 'PTR' | 'NS'; readonly target: string }
  | { readonly type: 'TLSA'; readonly usage: number; readonly selector: number; readonly matchingType: number; readonly data: string };

/** Owner name (lower case, no trailing dot) -> records. */
export type Zone = Readonly<Record<string, readonly ZoneRecord[]>>;

export interface DnsServerOptions {
  readonly zone: Zone;
  /** Names (any type) the server never answers. */
  readonly silent?: readonly string[];
  /** Names answered with SERVFAIL. */
  readonly servfail?: readonly string[];
  readonly refused?: readonly string[];
  /** Names whose UDP answer is sent empty with TC=1; TCP answers in full. */
  readonly truncateUdp?: readonly string[];
  /** Names whose answers carry the AD bit (as a validating resolver would set it). */
  readonly authenticated?: readonly string[];
  /** Never answer anything. */
  readonly allSilent?: boolean;
  /** Questions (name lower case, type name) the server never answers, for silence by record type. */
  readonly silentQuestion?: (name: string, type: string) => boolean;
  /**
   * Behave as a recursive resolver (RA set). Without it the server is
   * authoritative-only, as a real one (Knot, NSD) is: no RA, and it validates nothing.
   */
  readonly recursive?: boolean;
  /**
   * Behave as a validating resolver: RA set, and AD on the (signed) root zone
   * as well as on the `authenticated` names; a resolver with `recursive` alone
   * never sets AD, not even for the root.
   */
  readonly validating?: boolean;
}

export interface RunningDnsServer {
  readonly port: number;
  /** `127.0.0.1:<port>`, as --dns-server takes it. */
  readonly address: string;
  /** Every question received: `udp|tcp name TYPE`. */
  readonly log: string[];
  close(): Promise<void>;
}

/** Type code -> name, the inverse of the client's table, so server and client never disagree on a code. */
const TYPE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(TYPE_CODE).map(([name, code]) => [code, name]));

function toResource(name: string, record: ZoneRecord): Record<string, unknown> {
  const base = { name, type: TYPE_CODE[record.type], class: Packet.CLASS.IN, ttl: 300 };
  switch (record.type) {
    case 'A': case 'AAAA': return { ...base, address: record.address };
    case 'MX': return { ...base, exchange: record.exchange, priority: record.preference };
    case 'TXT': return { ...base, data: [...record.strings] };
    case 'CNAME': case 'PTR': return { ...base, domain: record.target };
    case 'NS': return { ...base, ns: record.target };
    case 'TLSA': return { ...base, data: encodeTlsaRdata(record.usage, record.selector, record.matchingType, record.data) };
  }
}

type Transport = 'udp' | 'tcp';

function answer(options: DnsServerOptions, request: InstanceType<typeof Packet>, transport: Transport): InstanceType<typeof Packet> | undefined {
  const question = request.questions[0] as unknown as { name: string; type: number } | undefined;
  const response = Packet.createResponseFromRequest(request);
  const header = response.header as unknown as { aa: number; rcode: number; tc: number; ad: number; ra: number };
  header.aa = 1;
  if (!question) return response;
  const name = question.name.toLowerCase().replace(/\.$/, '');
  const has = (list?: readonly string[]): boolean => list?.includes(name) ?? false;
  if (options.allSilent || has(options.silent)) return undefined;
  if (options.silentQuestion?.(name, TYPE_NAMES[question.type] ?? String(question.type))) return undefined;
  if (has(options.servfail)) { header.rcode = Packet.RCODE.SERVFAIL; return response; }
  if (has(options.refused)) { header.rcode = Packet.RCODE.REFUSED; return response; }
  if (transport === 'udp' && has(options.truncateUdp)) { header.tc = 1; return response; }
  if (options.recursive || options.validating) header.ra = 1;
  if (has(options.authenticated)) header.ad = 1;
  if (name === '' && !options.zone['']) {
    // The root zone, signed: what a validating resolver vouches for (AD), which shows whether it validates.
    if (options.validating) header.ad = 1;
    if (TYPE_NAMES[question.type] === 'NS') response.answers.push(toResource('', { type: 'NS', target: 'a.root-servers.net' }) as never);
    return response;
  }
  const records = options.zone[name];
  if (!records) { header.rcode = Packet.RCODE.NXDOMAIN; return response; }
  const typeName = TYPE_NAMES[question.type];
  const cname = records.find((r) => r.type === 'CNAME');
  const matching = cname && typeName !== 'CNAME' ? [cname] : records.filter((r) => r.type === typeName);
  for (const record of matching) response.answers.push(toResource(name, record) as never);
  return response;
}

/** Binds UDP on a random port, then TCP on the same one (retrying when it is taken). */
export async function startDnsServer(options: DnsServerOptions): Promise<RunningDnsServer> {
  const log: string[] = [];
  const handler = (transport: Transport) => (request: InstanceType<typeof Packet>, send: (r: InstanceType<typeof Packet>) => unknown): void => {
    const q = request.questions[0] as unknown as { name: string; type: number } | undefined;
    log.push(`${transport} ${q?.name ?? '?'} ${TYPE_NAMES[q?.type ?? 0] ?? q?.type}`);
    const response = answer(options, request, transport);
    if (response) void Promise.resolve(send(response)).catch(() => undefined);
  };
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = dns2.createUDPServer(handler('udp') as never);
    await udp.listen(0, '127.0.0.1');
    const port = udp.address().port;
    const tcp = dns2.createTCPServer(handler('tcp') as never);
    const bound = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!bound) { udp.close(); continue; }
    const sockets = new Set<Socket>();
    tcp.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
    return {
      port,
      address: `127.0.0.1:${port}`,
      log,
      close: () => new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        udp.close();
        tcp.close(() => resolve());
      }),
    };
  }
  throw new Error('could not bind a UDP and TCP port pair on 127.0.0.1');
}

/** The same fixture zones over DNS-over-HTTPS (dns2's DoH server, RFC 8484), on 127.0.0.1. */
export async function startDohServer(options: DnsServerOptions & { readonly certPem: string; readonly keyPem: string }): Promise<RunningDnsServer & { readonly url: string }> {
  const log: string[] = [];
  const server = dns2.createDOHServer({ ssl: true, cert: options.certPem, key: options.keyPem } as never);
  server.on('request', (request: InstanceType<typeof Packet>, send: (r: InstanceType<typeof Packet>) => unknown) => {
    const q = request.questions[0] as unknown as { name: string; type: number } | undefined;
    log.push(`doh ${q?.name ?? '?'} ${TYPE_NAMES[q?.type ?? 0] ?? q?.type}`);
    const response = answer(options, request, 'tcp');
    if (response) send(response);
  });
  const inner = (server as unknown as { server: HttpsServer }).server;
  const sockets = new Set<Socket>();
  inner.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => inner.listen(0, '127.0.0.1', resolve));
  const address = inner.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    address: `127.0.0.1:${address.port}`,
    url: `https://127.0.0.1:${address.port}/dns-query`,
    log,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); inner.close(() => resolve()); }),
  };
}
