import { getServers } from 'node:dns';
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import type { DnsAnswer, DnsOutcome, DnsRecord, RecordType } from '../../contract/dns';
import { InputError } from '../../contract/errors';
import type { Resolver } from './resolver';
import { systemClock, type Clock } from '../clock';
import { DEFAULT_DNS_CACHE_LIMITS, DnsCache, type DnsCacheLimits } from './cache';
import { buildQuery, lowerName, parseReply, RCODE, type ParsedReply } from './wire';
import { DnsTimeoutError, dohExchange, tcpExchange, udpExchange, type Exchange, type ServerAddress } from './transport';

export interface ResolverOptions {
  /** `1.1.1.1`, `127.0.0.1:5300`, `[::1]:53`; default: the system's resolvers. */
  readonly servers?: readonly string[];
  /** A DoH URL (`https://host/dns-query`); used instead of `servers` when set. */
  readonly doh?: string;
  /** Extra PEM trust anchors (--ca-file) for the DoH server's certificate. */
  readonly caCertificates?: readonly string[];
  /** Deadline of each exchange (one retry after a timeout). */
  readonly timeoutMs: number;
  /** For TTLs in the cache (default: the system clock). */
  readonly clock?: Clock;
  readonly cacheLimits?: Partial<DnsCacheLimits>;
  /**
   * Runs each lookup (its exchanges and CNAME hops) under the session's
   * concurrency limit; the engine context passes its limiter.
   */
  readonly limit?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** How many CNAME hops we follow before calling it a loop. */
const MAX_CNAME_HOPS = 8;

/** Parses `host`, `host:port`, `[v6]:port` or a bare IPv6 address. */
export function parseServer(text: string): ServerAddress {
  const trimmed = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  let host: string;
  let port = 53;
  if (bracketed) {
    host = bracketed[1]!;
    if (bracketed[2]) port = Number(bracketed[2]);
  } else if (isIP(trimmed) === 6) {
    host = trimmed;
  } else {
    const [h, p, ...rest] = trimmed.split(':');
    if (rest.length > 0) throw new InputError(`DNS server "${text}" is not an address (use [v6]:port for IPv6 with a port)`);
    host = h ?? '';
    if (p !== undefined) port = /^\d+$/.test(p) ? Number(p) : NaN;
  }
  if (isIP(host) === 0) throw new InputError(`DNS server "${text}" is not an IP address`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(`DNS server "${text}" has an invalid port`);
  return { host, port };
}

export function formatServer(server: ServerAddress): string {
  return isIP(server.host) === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

interface Upstream {
  readonly label: string;
  /** Exchanges in order: the first, then (on truncation) the one that carries full answers. */
  readonly primary: Exchange;
  readonly onTruncation?: Exchange;
}

function upstreamsFor(options: ResolverOptions): Upstream[] {
  if (options.doh) {
    let url: URL;
    try { url = new URL(options.doh); } catch { throw new InputError(`DoH address "${options.doh}" is not a URL`); }
    if (url.protocol !== 'https:') throw new InputError(`DoH address "${options.doh}" must start with https://`);
    return [{ label: url.toString(), primary: dohExchange(url.toString(), options.caCertificates ?? []) }];
  }
  const texts = options.servers && options.servers.length > 0 ? options.servers : getServers();
  if (texts.length === 0) throw new InputError('no DNS server configured on this system; name one with --dns-server');
  return texts.map(parseServer).map((server) => ({
    label: formatServer(server),
    primary: udpExchange(server),
    onTruncation: tcpExchange(server),
  }));
}

/**
 * The resolver of one run: UDP with TCP after truncation, a deadline on every
 * exchange and one retry after a timeout (on the next server when there is
 * one), answers cached (bounded in entries, TTLs honoured: see DnsCache) and
 * identical lookups in flight shared.
 */
export function createResolver(options: ResolverOptions): Resolver & { readonly label: string } {
  const upstreams = upstreamsFor(options);
  const cache = new DnsCache(options.clock ?? systemClock, { ...DEFAULT_DNS_CACHE_LIMITS, ...options.cacheLimits });
  const limit = options.limit ?? (<T>(work: () => Promise<T>): Promise<T> => work());

  async function exchangeOnce(upstream: Upstream, name: string, type: RecordType): Promise<ParsedReply> {
    const id = randomInt(0, 65_536);
    const query = buildQuery(name, type, id);
    let reply = parseReply(await upstream.primary(query, options.timeoutMs), type);
    if (reply.id !== id) throw new Error('answer did not match the question (transaction id)');
    if (reply.truncated && upstream.onTruncation) {
      reply = parseReply(await upstream.onTruncation(query, options.timeoutMs), type);
      if (reply.id !== id) throw new Error('answer did not match the question (transaction id)');
    }
    return reply;
  }

  /** One name, one type, no CNAME following: the retry policy lives here. */
  async function ask(name: string, type: RecordType): Promise<{ reply?: ParsedReply; outcome?: DnsOutcome; error?: string; server: string }> {
    const attempts = upstreams.length === 1 ? [upstreams[0]!, upstreams[0]!] : upstreams;
    let last: { outcome: DnsOutcome; error: string; server: string } = { outcome: 'network-error', error: 'no server tried', server: '' };
    const timedOutOn: string[] = [];
    for (const upstream of attempts) {
      try {
        const reply = await exchangeOnce(upstream, name, type);
        if ((reply.rcode === RCODE.SERVFAIL || reply.rcode === RCODE.REFUSED) && upstream !== attempts[attempts.length - 1] && upstreams.length > 1) {
          last = { outcome: reply.rcode === RCODE.SERVFAIL ? 'servfail' : 'refused', error: rcodeWords(reply.rcode), server: upstream.label };
          continue;
        }
        return { reply, server: upstream.label };
      } catch (error) {
        const timedOut = error instanceof DnsTimeoutError;
        last = { outcome: timedOut ? 'timeout' : 'network-error', error: error instanceof Error ? error.message : String(error), server: upstream.label };
        if (timedOut) {
          timedOutOn.push(upstream.label);
          last = { ...timeoutWords(options.timeoutMs, timedOutOn), outcome: 'timeout' };
        }
        if (!timedOut && upstreams.length === 1) break; // a refused connection will not heal in a retry
      }
    }
    return last;
  }

  async function resolve(name: string, type: RecordType): Promise<DnsAnswer> {
    const started = performance.now();
    const chain: string[] = [];
    const seen = new Set([name]);
    let current = name;
    let authenticated = true;
    let server = upstreams[0]!.label;
    for (let hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
      const result = await ask(current, type);
      server = result.server || server;
      const elapsedMs = Math.round(performance.now() - started);
      if (!result.reply) {
        return { name, type, outcome: result.outcome ?? 'network-error', records: [], cnameChain: chain, authenticated: false, server, error: result.error, elapsedMs };
      }
      const reply = result.reply;
      authenticated = authenticated && reply.authenticated;
      // Follow CNAMEs inside this reply first (a recursive resolver sends the whole chain).
      if (type !== 'CNAME') {
        let target = reply.cnames.get(current);
        while (target !== undefined && !seen.has(target)) {
          chain.push(target);
          seen.add(target);
          current = target;
          target = reply.cnames.get(current);
        }
        if (target !== undefined) {
          return { name, type, outcome: 'servfail', records: [], cnameChain: chain, authenticated: false, server, error: 'CNAME loop', elapsedMs };
        }
      }
      const records: DnsRecord[] = reply.records.filter((r) => r.name === current || seen.has(r.name));
      if (reply.rcode === RCODE.NOERROR && records.length === 0 && chain.length > 0 && type !== 'CNAME' && !reply.cnames.has(current) && reply.questionName !== current) {
        // The server returned only the CNAME (as an authoritative server does): ask for the target.
        continue;
      }
      return {
        name, type, outcome: outcomeOf(reply.rcode, records.length), records, cnameChain: chain,
        authenticated: authenticated && records.length > 0, recursionAvailable: reply.recursionAvailable, server,
        ...(reply.rcode !== RCODE.NOERROR && reply.rcode !== RCODE.NXDOMAIN ? { error: rcodeWords(reply.rcode) } : {}),
        elapsedMs,
      };
    }
    return { name, type, outcome: 'servfail', records: [], cnameChain: chain, authenticated: false, server, error: `more than ${MAX_CNAME_HOPS} CNAME hops`, elapsedMs: Math.round(performance.now() - started) };
  }

  return {
    label: upstreams.map((u) => u.label).join(', '),
    query(rawName, type, queryOptions) {
      const name = lowerName(rawName);
      const key = `${name}|${type}`;
      const pending = cache.getOrStart(key, () => limit(() => resolve(name, type)));
      const signal = queryOptions?.signal;
      if (!signal) return pending;
      if (signal.aborted) return Promise.resolve(cancelled(name, type, upstreams[0]!.label));
      return new Promise<DnsAnswer>((done) => {
        const onAbort = (): void => done(cancelled(name, type, upstreams[0]!.label));
        signal.addEventListener('abort', onAbort, { once: true });
        void pending.then((answer) => { signal.removeEventListener('abort', onAbort); done(answer); });
      });
    },
  };
}

/** `10 s`, `2.5 s`, `300 ms`: a deadline as people read it. */
export function durationWords(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

/**
 * What a timeout means, said plainly: the deadline of each try, how many tries
 * (the retry after a timeout is easy to miss: a lookup that "took 20 s" against
 * a 10 s deadline was tried twice) and the servers that stayed silent.
 */
export function timeoutWords(deadlineMs: number, timedOutOn: readonly string[]): { error: string; server: string } {
  const servers = [...new Set(timedOutOn)];
  const tries = timedOutOn.length;
  const each = `no answer within ${durationWords(deadlineMs)}`;
  const total = durationWords(deadlineMs * tries);
  if (tries <= 1) return { error: each, server: servers[0] ?? '' };
  if (servers.length === 1) return { error: `${each} (tried ${tries === 2 ? 'twice' : `${tries} times`}, ${total} in all)`, server: servers[0]! };
  return { error: `${each} (tried ${servers.length} servers, ${total} in all)`, server: servers.join(', ') };
}

function cancelled(name: string, type: RecordType, server: string): DnsAnswer {
  return { name, type, outcome: 'timeout', records: [], cnameChain: [], authenticated: false, server, error: 'cancelled', elapsedMs: 0 };
}

function outcomeOf(rcode: number, recordCount: number): DnsOutcome {
  if (rcode === RCODE.NOERROR) return recordCount > 0 ? 'answer' : 'nodata';
  if (rcode === RCODE.NXDOMAIN) return 'nxdomain';
  if (rcode === RCODE.REFUSED) return 'refused';
  return 'servfail';
}

function rcodeWords(rcode: number): string {
  switch (rcode) {
    case RCODE.SERVFAIL: return 'the server reported a failure (SERVFAIL)';
    case RCODE.REFUSED: return 'the server refused the query (REFUSED)';
    case RCODE.FORMERR: return 'the server could not read the query (FORMERR)';
    case RCODE.NOTIMP: return 'the server does not support this query (NOTIMP)';
    default: return `the server answered with error code ${rcode}`;
  }
}
