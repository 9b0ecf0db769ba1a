import type { DnsAnswer, DnsRecord, RecordType } from '../../contract/dns';
import { InputError } from '../../contract/errors';
import { isAbsentOutcome, isFailedOutcome } from '../dns/answers';
import type { Resolver } from '../dns/resolver';
import { inNetwork, parseSpfAddress, reverseLookupName, type SpfAddress } from './address';
import { expandDomainSpec, expandMacros, SpfMacroError, type MacroValues } from './macros';
import { DNS_MECHANISMS, isSpfRecord, parseSpfRecord, type SpfMechanism, type SpfQualifier } from './record';

/**
 * RFC 7208 `check_host()`: the SPF result for a client address, a domain and
 * a sender, with the way it was reached. DNS goes through the resolver passed
 * in (its deadline applies to every query); nothing here opens a socket.
 */

export type SpfResultCode = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

export const SPF_RESULTS: readonly SpfResultCode[] = ['pass', 'fail', 'softfail', 'neutral', 'none', 'permerror', 'temperror'];

/** Limits of RFC 7208 §4.6.4. */
export const SPF_LIMITS = {
  /** Mechanisms and modifiers that query DNS (include, a, mx, ptr, exists, redirect). */
  dnsMechanisms: 10,
  /** Lookups that found nothing (NXDOMAIN or no records). */
  voidLookups: 2,
  /** MX names one mx mechanism may look at (more is a permerror). */
  mxNames: 10,
  /** PTR names one ptr mechanism or %{p} may look at (the rest are ignored). */
  ptrNames: 10,
} as const;

/** Hard cap on DNS queries of one evaluation, whatever the records say (bounded by the limits above; a guard). */
const MAX_QUERIES = 400;

export interface SpfRequest {
  /** The SMTP client's address (IPv4, IPv6, IPv4-mapped IPv6). */
  readonly ip: string;
  /** MAIL FROM; empty for a bounce (then `postmaster@<helo>` is checked). */
  readonly sender?: string;
  /** HELO/EHLO name. */
  readonly helo?: string;
  /** The domain to check; by default the sender's domain (or the HELO name when there is no sender). */
  readonly domain?: string;
  /** The receiving host's name, for the `r` macro of explanations. */
  readonly receiver?: string;
}

export interface SpfEvaluationOptions {
  readonly resolver: Resolver;
  readonly signal?: AbortSignal;
  /** Milliseconds since 1970, for the `t` macro. */
  readonly now?: () => number;
}

/** One step of the way to the result: the term taken in the record of `domain`. */
export interface SpfStep {
  readonly domain: string;
  /** The term (`include:…`, `redirect=…`, the matching mechanism), or `(no match)` for the default result. */
  readonly term: string;
  readonly record?: string;
}

export interface SpfEvaluation {
  readonly result: SpfResultCode;
  readonly ip: string;
  readonly domain: string;
  readonly sender: string;
  readonly helo: string;
  /** Includes and redirects taken, then the mechanism that decided (last). */
  readonly path: readonly SpfStep[];
  /** In words: why this result. */
  readonly reason: string;
  /** The exp= explanation, for fail only. */
  readonly explanation?: string;
  /** DNS-querying terms evaluated (limit 10), void lookups (limit 2), DNS queries made in all. */
  readonly lookups: number;
  readonly voidLookups: number;
  readonly queries: number;
}

/** Ends the evaluation with permerror or temperror, with where it happened. */
class SpfAbort extends Error {
  constructor(readonly result: 'permerror' | 'temperror', message: string, readonly path: readonly SpfStep[]) {
    super(message);
  }
}

interface State {
  lookups: number;
  voids: number;
  queries: number;
  readonly resolver: Resolver;
  readonly signal?: AbortSignal;
  readonly ip: SpfAddress;
  readonly values: Omit<MacroValues, 'domain' | 'validatedName'>;
}

interface Outcome {
  readonly result: SpfResultCode;
  readonly path: readonly SpfStep[];
  readonly reason: string;
  readonly explanation?: string;
}

const QUALIFIER_RESULT: Readonly<Record<SpfQualifier, SpfResultCode>> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

/**
 * A name we can query (RFC 7208 §4.3): labels of 1 to 63 characters, at
 * least two of them, at most 253 characters, no control characters and no
 * domain literal. DNS carries any other octet, so a name built by macros
 * (`%_` is a space) is still looked up.
 */
export function isQueryableName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.replace(/\.$/, '').split('.');
  // eslint-disable-next-line no-control-regex
  return labels.length >= 2 && labels.every((l) => l.length >= 1 && l.length <= 63 && !/[\x00-\x1f\x7f[\]]/.test(l));
}

async function query(state: State, name: string, type: RecordType, path: readonly SpfStep[], options: { readonly countVoid: boolean; readonly tolerateFailure?: boolean }): Promise<DnsRecord[] | undefined> {
  state.queries += 1;
  if (state.queries > MAX_QUERIES) throw new SpfAbort('permerror', `more than ${MAX_QUERIES} DNS queries`, path);
  const answer: DnsAnswer = await state.resolver.query(name, type, state.signal ? { signal: state.signal } : undefined);
  if (isFailedOutcome(answer.outcome)) {
    if (options.tolerateFailure) return undefined;
    throw new SpfAbort('temperror', `the ${type} lookup of ${name} failed (${answer.outcome}${answer.error ? `: ${answer.error}` : ''})`, path);
  }
  const records = answer.records.filter((r) => r.type === type);
  if (options.countVoid && (isAbsentOutcome(answer.outcome) || records.length === 0)) {
    state.voids += 1;
    if (state.voids > SPF_LIMITS.voidLookups) {
      throw new SpfAbort('permerror', `more than ${SPF_LIMITS.voidLookups} void lookups (the ${type} lookup of ${name} found nothing)`, path);
    }
  }
  return records;
}

function addressesIn(records: readonly DnsRecord[]): SpfAddress[] {
  return records.flatMap((r) => (r.type === 'A' || r.type === 'AAAA' ? [parseSpfAddress(r.address)].filter((a): a is SpfAddress => a !== undefined) : []));
}

function matchesAny(state: State, addresses: readonly SpfAddress[], cidr4: number, cidr6: number): boolean {
  return addresses.some((a) => inNetwork(state.ip, a, state.ip.version === 4 ? cidr4 : cidr6));
}

function addressType(state: State): 'A' | 'AAAA' {
  return state.ip.version === 4 ? 'A' : 'AAAA';
}

/** Validated names of the client (RFC 7208 §5.5): PTR names whose own addresses include the client. */
async function validatedNames(state: State, path: readonly SpfStep[]): Promise<string[]> {
  const ptr = await query(state, reverseLookupName(state.ip), 'PTR', path, { countVoid: true, tolerateFailure: true });
  if (!ptr) return [];
  const names = ptr.flatMap((r) => (r.type === 'PTR' ? [r.target.replace(/\.$/, '').toLowerCase()] : [])).slice(0, SPF_LIMITS.ptrNames);
  const checked = await Promise.all(names.map(async (name) => {
    if (!isQueryableName(name)) return undefined;
    const records = await query(state, name, addressType(state), path, { countVoid: false, tolerateFailure: true });
    return records && matchesAny(state, addressesIn(records), 32, 128) ? name : undefined;
  }));
  return checked.filter((n): n is string => n !== undefined);
}

function isSameOrSubdomain(name: string, domain: string): boolean {
  const n = name.toLowerCase();
  const d = domain.toLowerCase().replace(/\.$/, '');
  return n === d || n.endsWith(`.${d}`);
}

/** The `p` macro: the validated name equal to, else under, the domain; else any; else `unknown` (RFC 7208 §7.3). */
async function macroValidatedName(state: State, domain: string, path: readonly SpfStep[]): Promise<string> {
  const names = await validatedNames(state, path);
  return names.find((n) => n === domain.toLowerCase()) ?? names.find((n) => isSameOrSubdomain(n, domain)) ?? names[0] ?? 'unknown';
}

function valuesFor(state: State, domain: string, path: readonly SpfStep[]): MacroValues {
  let validated: Promise<string> | undefined;
  return { ...state.values, domain, validatedName: () => (validated ??= macroValidatedName(state, domain, path)) };
}

async function targetOf(state: State, spec: string | undefined, domain: string, path: readonly SpfStep[]): Promise<string> {
  if (spec === undefined) return domain;
  try {
    return await expandDomainSpec(spec, valuesFor(state, domain, path));
  } catch (error) {
    if (error instanceof SpfMacroError) throw new SpfAbort('permerror', error.message, path);
    throw error;
  }
}

/** The explanation of a fail (RFC 7208 §6.2); any problem means no explanation, never a different result. */
async function explanationOf(state: State, spec: string, domain: string, path: readonly SpfStep[]): Promise<string | undefined> {
  try {
    const name = await expandDomainSpec(spec, valuesFor(state, domain, path));
    if (!isQueryableName(name)) return undefined;
    const records = await query(state, name, 'TXT', path, { countVoid: false, tolerateFailure: true });
    const texts = (records ?? []).flatMap((r) => (r.type === 'TXT' ? [r.strings.join('')] : []));
    if (texts.length !== 1) return undefined;
    if (/[^\x20-\x7e]/.test(texts[0]!)) return undefined;
    return await expandMacros(texts[0]!, valuesFor(state, domain, path), { explanation: true });
  } catch (error) {
    if (error instanceof SpfMacroError || error instanceof SpfAbort) return undefined;
    throw error;
  }
}

/** `here`: the way to this mechanism, itself included; errors while evaluating it are reported there. */
async function mechanismMatches(state: State, mechanism: SpfMechanism, domain: string, here: readonly SpfStep[], depth: number): Promise<{ matched: boolean; inner?: Outcome }> {
  switch (mechanism.kind) {
    case 'all':
      return { matched: true };
    case 'ip4':
    case 'ip6': {
      // ip4 matches IPv4 clients only, ip6 IPv6 clients only (an IPv4-mapped client is an IPv4 client).
      if ((mechanism.kind === 'ip4') !== (state.ip.version === 4)) return { matched: false };
      return { matched: inNetwork(state.ip, parseSpfAddress(mechanism.network)!, mechanism.prefix) };
    }
    case 'a': {
      const target = await targetOf(state, mechanism.domainSpec, domain, here);
      if (!isQueryableName(target)) return { matched: false };
      const records = await query(state, target, addressType(state), here, { countVoid: true });
      return { matched: matchesAny(state, addressesIn(records ?? []), mechanism.cidr4, mechanism.cidr6) };
    }
    case 'mx': {
      const target = await targetOf(state, mechanism.domainSpec, domain, here);
      if (!isQueryableName(target)) return { matched: false };
      const mx = (await query(state, target, 'MX', here, { countVoid: true })) ?? [];
      const hosts = mx.flatMap((r) => (r.type === 'MX' ? [r] : [])).sort((a, b) => a.preference - b.preference)
        .map((r) => r.exchange.replace(/\.$/, '')).filter((h) => h !== '');
      if (hosts.length > SPF_LIMITS.mxNames) throw new SpfAbort('permerror', `${target} has ${hosts.length} MX records; the mx mechanism may look at ${SPF_LIMITS.mxNames} at most`, here);
      // Only the MX query itself counts as a void lookup: an IPv4-only MX host asked for AAAA by an IPv6 client is not a broken record.
      const found = await Promise.all(hosts.map(async (host) => (isQueryableName(host) ? query(state, host, addressType(state), here, { countVoid: false }) : [])));
      return { matched: matchesAny(state, addressesIn(found.flatMap((r) => r ?? [])), mechanism.cidr4, mechanism.cidr6) };
    }
    case 'ptr': {
      const target = await targetOf(state, mechanism.domainSpec, domain, here);
      const names = await validatedNames(state, here);
      return { matched: names.some((n) => isSameOrSubdomain(n, target)) };
    }
    case 'exists': {
      const target = await targetOf(state, mechanism.domainSpec, domain, here);
      if (!isQueryableName(target)) return { matched: false };
      // Always an A query, whatever the client's address family (RFC 7208 §5.7).
      const records = await query(state, target, 'A', here, { countVoid: true });
      return { matched: (records ?? []).length > 0 };
    }
    case 'include': {
      const target = await targetOf(state, mechanism.domainSpec, domain, here);
      const inner = await evaluate(state, target, here, depth + 1);
      switch (inner.result) {
        case 'pass': return { matched: true, inner };
        case 'fail': case 'softfail': case 'neutral': return { matched: false };
        case 'none': throw new SpfAbort('permerror', `${mechanism.text}: ${target} has no SPF record`, here);
        default: throw new SpfAbort(inner.result, inner.reason, inner.path);
      }
    }
  }
}

/** Counts a DNS-querying term; `here` ends with it. */
function countLookup(state: State, here: readonly SpfStep[]): void {
  state.lookups += 1;
  if (state.lookups > SPF_LIMITS.dnsMechanisms) {
    const { term, domain } = here[here.length - 1]!;
    throw new SpfAbort('permerror', `more than ${SPF_LIMITS.dnsMechanisms} DNS-querying terms: "${term}" in the record of ${domain} is number ${state.lookups}`, here);
  }
}

async function evaluate(state: State, domain: string, path: readonly SpfStep[], depth: number): Promise<Outcome> {
  if (!isQueryableName(domain)) return { result: 'none', path, reason: `"${domain}" is not a domain name that can be looked up` };
  if (depth > 2 * SPF_LIMITS.dnsMechanisms) throw new SpfAbort('permerror', 'includes and redirects nest too deep', path);
  const records = (await query(state, domain, 'TXT', path, { countVoid: false })) ?? [];
  const spf = records.flatMap((r) => (r.type === 'TXT' ? [r.strings.join('')] : [])).filter(isSpfRecord);
  if (spf.length === 0) return { result: 'none', path, reason: `${domain} has no SPF record` };
  if (spf.length > 1) throw new SpfAbort('permerror', `${domain} has ${spf.length} SPF records; exactly one is allowed (RFC 7208 §4.5)`, path);
  const text = spf[0]!;
  const parsed = parseSpfRecord(text);
  if (!parsed.ok) throw new SpfAbort('permerror', `the SPF record of ${domain} ${parsed.reason}`, [...path, { domain, term: parsed.term ?? '', record: text }]);
  const record = parsed.record;
  for (const mechanism of record.mechanisms) {
    const here: readonly SpfStep[] = [...path, { domain, term: mechanism.text, record: text }];
    if (DNS_MECHANISMS.has(mechanism.kind)) countLookup(state, here);
    const { matched, inner } = await mechanismMatches(state, mechanism, domain, here, depth);
    if (!matched) continue;
    const result = QUALIFIER_RESULT[mechanism.qualifier];
    const decided = inner ? inner.path : here;
    const explanation = result === 'fail' && record.exp !== undefined ? await explanationOf(state, record.exp, domain, path) : undefined;
    const reason = inner ? `${inner.reason}, through "${mechanism.text}" in the record of ${domain}` : `"${mechanism.text}" in the record of ${domain} matched`;
    return { result, path: decided, reason, ...(explanation !== undefined ? { explanation } : {}) };
  }
  if (record.redirect !== undefined) {
    const term = `redirect=${record.redirect}`;
    const here: readonly SpfStep[] = [...path, { domain, term, record: text }];
    countLookup(state, here);
    const target = await targetOf(state, record.redirect, domain, here);
    const inner = await evaluate(state, target, here, depth + 1);
    if (inner.result === 'none') throw new SpfAbort('permerror', `${term}: ${target} has no SPF record`, here);
    return inner;
  }
  return { result: 'neutral', path: [...path, { domain, term: '(no match)', record: text }], reason: `no mechanism of the record of ${domain} matched, and it has no redirect: the default is neutral` };
}

/** `local@domain`, `@domain` (postmaster) or empty (postmaster@HELO). */
function splitSender(sender: string, helo: string): { sender: string; localPart: string; senderDomain: string } {
  const full = sender.trim() === '' ? `postmaster@${helo}` : sender.trim();
  const at = full.lastIndexOf('@');
  if (at < 0) return { sender: `postmaster@${full}`, localPart: 'postmaster', senderDomain: full };
  const localPart = full.slice(0, at) || 'postmaster';
  const senderDomain = full.slice(at + 1);
  return { sender: `${localPart}@${senderDomain}`, localPart, senderDomain };
}

/**
 * RFC 7208 `check_host(<ip>, <domain>, <sender>)`. Never throws for what DNS
 * or the records say: those become permerror/temperror with the reason. A
 * client address that is not one is an InputError.
 */
export async function checkHost(request: SpfRequest, options: SpfEvaluationOptions): Promise<SpfEvaluation> {
  const ip = parseSpfAddress(request.ip);
  if (!ip) throw new InputError(`"${request.ip}" is not an IPv4 or IPv6 address`);
  const helo = (request.helo ?? '').trim();
  const who = splitSender(request.sender ?? '', helo);
  const domain = (request.domain ?? who.senderDomain).trim().toLowerCase().replace(/\.$/, '');
  const state: State = {
    lookups: 0, voids: 0, queries: 0,
    resolver: options.resolver,
    ...(options.signal ? { signal: options.signal } : {}),
    ip,
    values: {
      sender: who.sender, localPart: who.localPart, senderDomain: who.senderDomain,
      ip, helo: helo || 'unknown', receiver: request.receiver?.trim() || 'unknown',
      timestamp: Math.floor((options.now?.() ?? Date.now()) / 1000),
    },
  };
  const base = { ip: ip.text, domain, sender: who.sender, helo };
  const counts = (): Pick<SpfEvaluation, 'lookups' | 'voidLookups' | 'queries'> => ({ lookups: Math.min(state.lookups, SPF_LIMITS.dnsMechanisms + 1), voidLookups: state.voids, queries: state.queries });
  try {
    const outcome = await evaluate(state, domain, [], 0);
    return { ...base, ...outcome, ...counts() };
  } catch (error) {
    if (!(error instanceof SpfAbort)) throw error;
    return { ...base, result: error.result, path: error.path, reason: error.message, ...counts() };
  }
}
