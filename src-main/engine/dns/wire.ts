import dns2 from 'dns2';
import type { DnsRecord, RecordType } from '../../contract/dns';

/**
 * DNS messages on the wire: building a query and reading a reply into the
 * contract's record shapes. dns2's `Packet` does the encoding; TLSA (type 52)
 * has no codec in dns2, so its raw RDATA is decoded here (RFC 6698 §2.1).
 */
const { Packet } = dns2;
(Packet.TYPE as Record<string, number>)['TLSA'] = 52;

export const TYPE_CODE: Readonly<Record<RecordType, number>> = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, TLSA: 52,
};
const CNAME_CODE = 5;

/** EDNS payload size advertised over UDP (DNS flag day 2020: fits any path MTU). */
export const EDNS_UDP_SIZE = 1232;

/** A DNS query message with a fresh random id, RD set and AD set (RFC 6840 §5.7: "tell me if you validated"). */
export function buildQuery(name: string, type: RecordType, id: number): Buffer {
  const packet = new Packet();
  // dns2's types leave out the AD bit its Header writes.
  const header = { id, rd: 1, ad: 1 };
  packet.header = new Packet.Header(header as Partial<InstanceType<typeof Packet.Header>>);
  packet.questions.push(new Packet.Question(name, TYPE_CODE[type], Packet.CLASS.IN));
  packet.additionals.push(Packet.Resource.EDNS([], { udpPayloadSize: EDNS_UDP_SIZE }) as unknown as InstanceType<typeof Packet.Resource>);
  return packet.toBuffer();
}

/** What one DNS reply says, before CNAME following. */
export interface ParsedReply {
  readonly id: number;
  readonly rcode: number;
  readonly truncated: boolean;
  readonly authenticated: boolean;
  /** RA: the server offers recursion (an authoritative-only server does not, and validates nothing). */
  readonly recursionAvailable: boolean;
  readonly questionName: string;
  readonly questionType: number;
  /** Records of the asked type (owner names may be CNAME targets). */
  readonly records: readonly DnsRecord[];
  /** CNAME records in the answer section: owner -> target. */
  readonly cnames: ReadonlyMap<string, string>;
}

interface RawResource {
  name: string; type: number; ttl: number;
  address?: string; exchange?: string; priority?: number; domain?: string; data?: unknown; ns?: string;
  primary?: string; admin?: string; serial?: number; refresh?: number; retry?: number; expiration?: number; minimum?: number;
}

export function lowerName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** Reads a reply; throws (a decode error) when the message is not DNS at all. */
export function parseReply(buffer: Buffer, askedType: RecordType): ParsedReply {
  const packet = Packet.parse(buffer);
  const header = packet.header as unknown as { id: number; rcode: number; tc: number; ad: number; ra: number };
  const question = packet.questions[0] as unknown as { name?: string; type?: number } | undefined;
  const records: DnsRecord[] = [];
  const cnames = new Map<string, string>();
  for (const raw of packet.answers as unknown as RawResource[]) {
    const name = lowerName(String(raw.name ?? ''));
    if (raw.type === CNAME_CODE && raw.domain !== undefined) cnames.set(name, lowerName(raw.domain));
    if (raw.type !== TYPE_CODE[askedType]) continue;
    const record = toRecord(askedType, name, raw);
    if (record) records.push(record);
  }
  return {
    id: header.id,
    rcode: header.rcode,
    truncated: header.tc === 1,
    authenticated: header.ad === 1,
    recursionAvailable: header.ra === 1,
    questionName: lowerName(String(question?.name ?? '')),
    questionType: question?.type ?? 0,
    records,
    cnames,
  };
}

function toRecord(type: RecordType, name: string, raw: RawResource): DnsRecord | undefined {
  const ttl = raw.ttl;
  switch (type) {
    case 'A': return { type, name, ttl, address: String(raw.address) };
    case 'AAAA': return { type, name, ttl, address: String(raw.address) };
    case 'MX': return { type, name, ttl, preference: Number(raw.priority), exchange: lowerName(String(raw.exchange ?? '')) };
    case 'TXT': return { type, name, ttl, strings: Array.isArray(raw.data) ? raw.data.map(String) : [String(raw.data ?? '')] };
    case 'CNAME': return { type, name, ttl, target: lowerName(String(raw.domain ?? '')) };
    case 'PTR': return { type, name, ttl, target: lowerName(String(raw.domain ?? '')) };
    case 'NS': return { type, name, ttl, target: lowerName(String(raw.ns ?? raw.domain ?? '')) };
    case 'SOA': return {
      type, name, ttl, primary: lowerName(String(raw.primary ?? '')), admin: lowerName(String(raw.admin ?? '')),
      serial: Number(raw.serial), refresh: Number(raw.refresh), retry: Number(raw.retry), expiration: Number(raw.expiration), minimum: Number(raw.minimum),
    };
    case 'TLSA': return Buffer.isBuffer(raw.data) ? parseTlsaRdata(name, ttl, raw.data) : undefined;
  }
}

/** TLSA RDATA: usage (1 octet), selector (1), matching type (1), association data (rest). */
export function parseTlsaRdata(name: string, ttl: number, rdata: Buffer): DnsRecord | undefined {
  if (rdata.length < 3) return undefined;
  return { type: 'TLSA', name, ttl, usage: rdata[0]!, selector: rdata[1]!, matchingType: rdata[2]!, data: rdata.subarray(3).toString('hex') };
}

/** Encodes TLSA RDATA (used by the test fixture server). */
export function encodeTlsaRdata(usage: number, selector: number, matchingType: number, hex: string): Buffer {
  return Buffer.concat([Buffer.from([usage, selector, matchingType]), Buffer.from(hex, 'hex')]);
}

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
