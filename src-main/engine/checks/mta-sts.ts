import type { Finding } from '../../contract/findings';
import { finding } from '../findings';
import { addressesOf } from '../dns/answers';
import { wildcardMatches } from '../dns/names';
import { F } from './catalogue';
import { describeAnswer, isFailure, txtTexts, type CheckContext } from './context';
import type { FetchHttps } from './https-fetch';

/** RFC 8461 §3.2. */
export interface MtaStsPolicy {
  readonly version: string;
  readonly mode: 'enforce' | 'testing' | 'none';
  readonly mx: readonly string[];
  readonly maxAge: number;
}

export const MTA_STS_MAX_BYTES = 64 * 1024;
const MAX_AGE_LIMIT = 31_557_600;

export function parseMtaStsRecord(text: string): string[] {
  const problems: string[] = [];
  const parts = text.split(';').map((p) => p.trim()).filter((p) => p !== '');
  if (parts[0] !== 'v=STSv1') problems.push('it must start with "v=STSv1"');
  const id = parts.find((p) => p.startsWith('id='))?.slice(3);
  if (id === undefined) problems.push('the "id=" field is missing');
  else if (!/^[A-Za-z0-9]{1,32}$/.test(id)) problems.push(`id "${id}" must be 1 to 32 letters or digits`);
  return problems;
}

export function parseMtaStsPolicy(body: string): { policy?: MtaStsPolicy; problems: string[] } {
  const problems: string[] = [];
  const fields = new Map<string, string[]>();
  for (const rawLine of body.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) { problems.push(`line "${line.slice(0, 60)}" is not "key: value"`); continue; }
    const key = line.slice(0, colon).trim();
    const list = fields.get(key) ?? [];
    list.push(line.slice(colon + 1).trim());
    fields.set(key, list);
  }
  const version = fields.get('version')?.[0];
  if (version !== 'STSv1') problems.push(version === undefined ? '"version: STSv1" is missing' : `version "${version}" is not STSv1`);
  const mode = fields.get('mode')?.[0];
  if (mode !== 'enforce' && mode !== 'testing' && mode !== 'none') problems.push(mode === undefined ? '"mode" is missing' : `mode "${mode}" is not enforce, testing or none`);
  const mx = fields.get('mx') ?? [];
  if (mx.length === 0 && mode !== 'none') problems.push('no "mx" line');
  for (const pattern of mx) if (!/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\.?$/i.test(pattern)) problems.push(`mx "${pattern}" is not a host name or *.domain pattern`);
  const maxAgeText = fields.get('max_age')?.[0];
  const maxAge = maxAgeText !== undefined && /^\d{1,10}$/.test(maxAgeText) ? Number(maxAgeText) : NaN;
  if (!(maxAge >= 0 && maxAge <= MAX_AGE_LIMIT)) problems.push(maxAgeText === undefined ? '"max_age" is missing' : `max_age "${maxAgeText}" is not 0 to ${MAX_AGE_LIMIT} seconds`);
  if (problems.length > 0) return { problems };
  return { policy: { version: version!, mode: mode as MtaStsPolicy['mode'], mx, maxAge }, problems };
}

/** `*.example.com` matches exactly one left-most label (RFC 8461 §4.1): the same rule as certificate names. */
export function mxMatchesPattern(host: string, pattern: string): boolean {
  return wildcardMatches(pattern, host);
}

export interface MtaStsDeps {
  readonly fetchHttps: FetchHttps;
  readonly caCertificates: readonly string[];
  readonly timeoutMs: number;
  readonly port: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs the TXT lookup and the policy fetch (which needs mta-sts.<domain>'s
 * address) at the same time; the MX coverage waits only for the MX list.
 */
export async function checkMtaSts(ctx: CheckContext, deps: MtaStsDeps, mxHosts: Promise<readonly string[]>): Promise<{ findings: Finding[]; present: boolean }> {
  const recordName = `_mta-sts.${ctx.domain}`;
  const policyHost = `mta-sts.${ctx.domain}`;
  const url = `https://${policyHost}${deps.port === 443 ? '' : `:${deps.port}`}/.well-known/mta-sts.txt`;
  const fetchPolicy = async (): Promise<{ error?: string; body?: string; evidence: string[]; privateCa?: boolean }> => {
    const [a, aaaa] = await Promise.all([ctx.query(policyHost, 'A'), ctx.query(policyHost, 'AAAA')]);
    const addresses = addressesOf(a, aaaa);
    if (addresses.length === 0) return { error: `${policyHost} has no address`, evidence: [...describeAnswer(a), ...describeAnswer(aaaa)] };
    const result = await deps.fetchHttps({ host: policyHost, addresses, port: deps.port, path: '/.well-known/mta-sts.txt', caCertificates: deps.caCertificates, timeoutMs: deps.timeoutMs, maxBytes: MTA_STS_MAX_BYTES, ...(deps.signal ? { signal: deps.signal } : {}) });
    if (!result.ok) return { error: result.error, evidence: [`GET ${url} (${addresses[0]}): ${result.error}`] };
    if (result.status !== 200) {
      return { error: `HTTP ${result.status}${result.location ? ` (redirect to ${result.location}; redirects are not allowed)` : ''}`, evidence: [`GET ${url}: HTTP ${result.status}`] };
    }
    const evidence = [`GET ${url}: HTTP 200, ${result.contentType || 'no content type'}`, ...result.body.split(/\r?\n/).slice(0, 20).map((l) => `  ${l}`)];
    if (!/^text\/plain(\s*;|$)/i.test(result.contentType)) return { error: `the policy is served as "${result.contentType}", not text/plain`, evidence };
    return { body: result.body, evidence, ...(result.trustedByExtraCa ? { privateCa: true } : {}) };
  };
  const [answer, fetched] = await Promise.all([ctx.query(recordName, 'TXT'), fetchPolicy()]);
  if (isFailure(answer)) return { findings: [], present: false };
  const d = ctx.domain;
  const records = txtTexts(answer).filter((t) => /^v=STSv1/i.test(t.trim()));
  const recordEvidence = describeAnswer(answer);
  if (records.length === 0) {
    if (fetched.body !== undefined) return { findings: [finding(F.MTA_STS_POLICY_WITHOUT_RECORD, d, `${url} serves a policy, but ${recordName} has no TXT record.`, [...recordEvidence, ...fetched.evidence])], present: false };
    return { findings: [finding(F.MTA_STS_MISSING, d, `${d} has no MTA-STS record.`, recordEvidence)], present: false };
  }
  const findings: Finding[] = [];
  const recordProblems = records.length > 1 ? [`${records.length} records (exactly one allowed)`] : parseMtaStsRecord(records[0]!);
  if (recordProblems.length > 0) findings.push(finding(F.MTA_STS_RECORD_INVALID, d, `The MTA-STS record of ${d} is invalid: ${recordProblems.join('; ')}.`, recordEvidence));
  if (fetched.body === undefined) {
    findings.push(finding(F.MTA_STS_POLICY_UNREACHABLE, d, `The MTA-STS policy of ${d} could not be fetched: ${fetched.error}.`, [...recordEvidence, ...fetched.evidence]));
    return { findings, present: true };
  }
  const { policy, problems } = parseMtaStsPolicy(fetched.body);
  if (!policy) {
    findings.push(finding(F.MTA_STS_INVALID, d, `The MTA-STS policy of ${d} is invalid: ${problems.join('; ')}.`, fetched.evidence));
    return { findings, present: true };
  }
  const hosts = await mxHosts;
  const uncovered = policy.mode === 'none' ? [] : hosts.filter((h) => !policy.mx.some((p) => mxMatchesPattern(h, p)));
  for (const host of uncovered) {
    findings.push(finding(F.MTA_STS_MX_NOT_COVERED, host, `The MX ${host} matches no mx pattern of the MTA-STS policy (${policy.mx.join(', ')}).`, fetched.evidence, policy.mode === 'testing' ? { severity: 'warn' } : {}));
  }
  if (fetched.privateCa) {
    findings.push(finding(F.MTA_STS_PRIVATE_CA, policyHost, `The MTA-STS policy of ${d} was fetched over a certificate trusted by your CA file only; senders on the internet would not trust ${policyHost}, so for them there is no policy.`, fetched.evidence));
  }
  if (policy.mode === 'testing') findings.push(finding(F.MTA_STS_TESTING, d, `The MTA-STS policy of ${d} is in testing mode.`, fetched.evidence));
  if (uncovered.length === 0 && recordProblems.length === 0) {
    findings.push(finding(F.MTA_STS_OK, d, `MTA-STS policy mode ${policy.mode}, max_age ${policy.maxAge}, mx ${policy.mx.join(', ')}.`, [...recordEvidence, ...fetched.evidence]));
  }
  return { findings, present: true };
}
