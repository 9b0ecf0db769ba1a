import type { Finding } from '../../contract/findings';
import { finding } from '../findings';
import { isAbsentOutcome, isFailedOutcome } from '../dns/answers';
import { F } from './catalogue';
import { describeAnswer, isAbsent, isFailure, type CheckContext } from './context';

/**
 * SPF (RFC 7208): the record found, evaluated recursively. Every include and
 * redirect is fetched as soon as its parent is read (siblings in parallel),
 * and the a/mx/exists targets are looked up too, to count void lookups.
 */
export interface SpfNode {
  readonly domain: string;
  /** How this node was reached: 'root', 'include', 'redirect'. */
  readonly via: 'root' | 'include' | 'redirect';
  readonly outcome: string;
  readonly records: readonly string[];
  readonly evidence: readonly string[];
  /** DNS-querying terms in this record, in order (children inline). */
  readonly terms: readonly SpfTerm[];
  /** Lookups of this record and everything below it. */
  readonly total: number;
  readonly voids: number;
  readonly includesOffice365: boolean;
}

export type SpfTerm =
  | { readonly kind: 'lookup'; readonly text: string; readonly child?: SpfNode; readonly loop?: boolean };

export const SPF_LOOKUP_LIMIT = 10;
export const SPF_VOID_LIMIT = 2;
const MAX_NODES = 60;
const OFFICE365_INCLUDE = 'spf.protection.outlook.com';

const DNS_TERMS = /^[+\-~?]?(include|a|mx|ptr|exists)(?=[:/]|$)|^redirect=/i;
const VALID_TERM = /^([+\-~?]?(all|include:\S+|a(:\S+)?(\/\d+)?(\/\/\d+)?|mx(:\S+)?(\/\d+)?(\/\/\d+)?|ptr(:\S+)?|ip4:[\d.]+(\/\d+)?|ip6:[\da-f:.]+(\/\d+)?|exists:\S+)|[a-z][a-z0-9_.-]*=\S*)$/i;

/** A domain-spec without macros (RFC 7208 section 7.1): dot-separated labels, an alphanumeric top label. */
const SPF_DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export function isSpfRecord(text: string): boolean {
  return /^v=spf1(\s|$)/i.test(text);
}

interface EvalState { nodes: number; readonly findings: Finding[] }

export async function evaluateSpf(ctx: CheckContext, domain: string, via: SpfNode['via'], path: readonly string[], state: EvalState): Promise<SpfNode> {
  state.nodes += 1;
  const answer = await ctx.query(domain, 'TXT');
  const records = answer.outcome === 'answer' ? answer.records.flatMap((r) => (r.type === 'TXT' && isSpfRecord(r.strings.join('')) ? [r] : [])) : [];
  const texts = records.map((r) => (r.type === 'TXT' ? r.strings.join('') : ''));
  const evidence = describeAnswer(answer).filter((line) => answer.outcome !== 'answer' || /v=spf1/i.test(line));
  const base = { domain, via, outcome: answer.outcome, records: texts, evidence };
  if (isFailure(answer)) {
    state.findings.push(finding(F.SPF_LOOKUP_FAILED, domain, `The SPF lookup of ${domain} failed, so the SPF result cannot be determined${path.length > 0 ? ` (reached through ${path.join(' -> ')})` : ''}.`, describeAnswer(answer)));
  }
  if (texts.length !== 1) return { ...base, terms: [], total: 0, voids: 0, includesOffice365: false };
  const text = texts[0]!;
  const record = records[0]!;
  if (record.type === 'TXT') {
    for (const s of record.strings) {
      const bytes = Buffer.byteLength(s, 'utf8');
      if (bytes > 255) state.findings.push(finding(F.SPF_STRING_TOO_LONG, domain, `A TXT string of the SPF record of ${domain} is ${bytes} bytes long (at most 255).`, [JSON.stringify(s)]));
    }
  }
  if (Buffer.byteLength(text, 'utf8') > 450) {
    state.findings.push(finding(F.SPF_RECORD_TOO_LONG, domain, `The SPF record of ${domain} is ${Buffer.byteLength(text, 'utf8')} bytes long.`, [text]));
  }
  const words = text.split(/\s+/).filter((w) => w !== '').slice(1);
  const pending: Promise<SpfTerm>[] = [];
  const voidProbes: Promise<number>[] = [];
  for (const word of words) {
    if (!VALID_TERM.test(word)) {
      state.findings.push(finding(F.SPF_SYNTAX, domain, `The SPF record of ${domain} has an invalid term "${word}".`, [text]));
      continue;
    }
    if (!DNS_TERMS.test(word)) continue;
    const mechanism = word.replace(/^[+\-~?]/, '').toLowerCase();
    const target = (word.match(/^[+\-~?]?[a-z]+[:=]([^/]+)/i)?.[1] ?? domain).toLowerCase().replace(/\.$/, '');
    const hasMacro = target.includes('%');
    if (!hasMacro && !SPF_DOMAIN.test(target)) {
      // `include:<script>…` names no domain at all: a syntax error (RFC 7208 section 4.6.1, permerror), not a missing record.
      state.findings.push(finding(F.SPF_SYNTAX, domain, `The SPF record of ${domain} has an invalid term "${word}": "${target}" is not a valid domain name.`, [text]));
      continue;
    }
    if (mechanism.startsWith('include:') || mechanism.startsWith('redirect=')) {
      const childVia = mechanism.startsWith('include:') ? 'include' : 'redirect';
      if (path.includes(target) || target === domain) {
        pending.push(Promise.resolve({ kind: 'lookup', text: word, loop: true }));
      } else if (hasMacro || state.nodes >= MAX_NODES) {
        pending.push(Promise.resolve({ kind: 'lookup', text: word }));
      } else {
        pending.push(evaluateSpf(ctx, target, childVia, [...path, domain], state).then((child) => ({ kind: 'lookup', text: word, child })));
      }
      continue;
    }
    pending.push(Promise.resolve({ kind: 'lookup', text: word }));
    if (hasMacro) continue;
    if (mechanism.startsWith('mx')) voidProbes.push(ctx.query(target, 'MX').then((a) => (isAbsent(a) ? 1 : 0)));
    else if (mechanism.startsWith('a') || mechanism.startsWith('exists')) {
      voidProbes.push(Promise.all([ctx.query(target, 'A'), ctx.query(target, 'AAAA')]).then(([a, aaaa]) => (isAbsent(a) && (mechanism.startsWith('exists') || isAbsent(aaaa)) ? 1 : 0)));
    }
  }
  const [terms, ownVoids] = await Promise.all([Promise.all(pending), Promise.all(voidProbes)]);
  let total = 0;
  let voids = ownVoids.reduce((a, b) => a + b, 0);
  let includesOffice365 = false;
  for (const term of terms) {
    total += 1 + (term.child?.total ?? 0);
    if (term.child) {
      voids += term.child.voids + (term.child.records.length === 0 && isAbsentOutcome(term.child.outcome) ? 1 : 0);
      includesOffice365 ||= term.child.includesOffice365 || term.child.domain === OFFICE365_INCLUDE;
    }
    if (/^[+\-~?]?include:spf\.protection\.outlook\.com\.?$/i.test(term.text)) {
      includesOffice365 = true;
    }
  }
  return { ...base, terms, total, voids, includesOffice365 };
}

/** Walks the tree in evaluation order and names the include chain where the count passed the limit. */
export function chainOverLimit(root: SpfNode, limit = SPF_LOOKUP_LIMIT): string[] | undefined {
  let count = 0;
  const walk = (node: SpfNode, path: string[]): string[] | undefined => {
    for (const term of node.terms) {
      count += 1;
      if (count > limit) return [...path, term.text];
      if (term.child) {
        const hit = walk(term.child, [...path, term.text]);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  return walk(root, [root.domain]);
}

/** Per-include totals, biggest first, for the evidence. */
function includeTotals(root: SpfNode): string[] {
  const lines: string[] = [];
  const walk = (node: SpfNode, depth: number): void => {
    for (const term of node.terms) {
      if (term.child) {
        lines.push(`${'  '.repeat(depth)}${term.text}: ${1 + term.child.total} lookup(s)`);
        walk(term.child, depth + 1);
      } else {
        lines.push(`${'  '.repeat(depth)}${term.text}: 1 lookup`);
      }
    }
  };
  walk(root, 0);
  return lines;
}

function collectLoops(node: SpfNode, path: string[], out: string[][]): void {
  for (const term of node.terms) {
    if (term.loop) out.push([...path, term.text]);
    if (term.child) collectLoops(term.child, [...path, term.text], out);
  }
}

function collectMissingIncludes(node: SpfNode, path: string[], out: { chain: string[]; child: SpfNode }[]): void {
  for (const term of node.terms) {
    if (!term.child) continue;
    if (term.child.records.length === 0 && !isFailedOutcome(term.child.outcome)) out.push({ chain: [...path, term.text], child: term.child });
    collectMissingIncludes(term.child, [...path, term.text], out);
  }
}

export interface SpfResult {
  readonly findings: readonly Finding[];
  readonly root: SpfNode;
  /** Completed once the MX is known: adds the Office 365 include finding. */
  finish(mxIsOffice365: boolean): Finding[];
}

export async function checkSpf(ctx: CheckContext): Promise<SpfResult> {
  const state: EvalState = { nodes: 0, findings: [] };
  const root = await evaluateSpf(ctx, ctx.domain, 'root', [], state);
  const findings = [...state.findings];
  const d = ctx.domain;
  if (root.records.length === 0) {
    if (isAbsentOutcome(root.outcome) || root.outcome === 'answer') {
      findings.push(finding(F.SPF_MISSING, d, `${d} has no SPF record.`, root.evidence.length > 0 ? root.evidence : [`${d} TXT: no v=spf1 record`]));
    }
  } else if (root.records.length > 1) {
    findings.push(finding(F.SPF_MULTIPLE_RECORDS, d, `${d} has ${root.records.length} SPF records; exactly one is allowed.`, root.records));
  } else {
    const text = root.records[0]!;
    const chain = chainOverLimit(root);
    if (root.total > SPF_LOOKUP_LIMIT) {
      const biggest = root.terms.filter((t) => t.child).sort((a, b) => b.child!.total - a.child!.total)[0];
      const biggestText = biggest ? `; the largest include is ${biggest.text} (${1 + biggest.child!.total} lookups)` : '';
      findings.push(finding(F.SPF_TOO_MANY_LOOKUPS, d, `SPF needs ${root.total} DNS lookups (limit ${SPF_LOOKUP_LIMIT}); lookup ${SPF_LOOKUP_LIMIT + 1} is ${chain?.join(' -> ') ?? d}${biggestText}.`, [text, ...includeTotals(root)]));
    }
    if (root.voids > SPF_VOID_LIMIT) {
      findings.push(finding(F.SPF_VOID_LOOKUPS, d, `SPF evaluation makes ${root.voids} void lookups (limit ${SPF_VOID_LIMIT}).`, [text]));
    }
    const loops: string[][] = [];
    collectLoops(root, [d], loops);
    for (const loop of loops) findings.push(finding(F.SPF_LOOP, d, `SPF loops back: ${loop.join(' -> ')}.`, [text]));
    const missing: { chain: string[]; child: SpfNode }[] = [];
    collectMissingIncludes(root, [d], missing);
    for (const m of missing) findings.push(finding(F.SPF_INCLUDE_NO_RECORD, m.child.domain, `${m.chain.join(' -> ')} points at ${m.child.domain}, which has no SPF record.`, [...m.child.evidence]));
    const all = text.split(/\s+/).find((w) => /^[+\-~?]?all$/i.test(w));
    const hasRedirect = /(^|\s)redirect=/i.test(text);
    if (all && /^\+?all$/i.test(all)) findings.push(finding(F.SPF_PASS_ALL, d, `The SPF record of ${d} ends in "${all}": any server may send as ${d}.`, [text]));
    else if (all && /^[~?]all$/i.test(all)) findings.push(finding(F.SPF_SOFT_OR_NEUTRAL_ALL, d, `The SPF record of ${d} ends in "${all}".`, [text]));
    else if (!all && !hasRedirect) findings.push(finding(F.SPF_NO_ALL, d, `The SPF record of ${d} has no "all" term.`, [text]));
    if (!findings.some((f) => f.severity === 'fail' || f.severity === 'warn')) {
      findings.push(finding(F.SPF_OK, d, `SPF record found; ${root.total} of ${SPF_LOOKUP_LIMIT} DNS lookups used.`, [text, ...includeTotals(root)]));
    }
  }
  return {
    findings,
    root,
    finish(mxIsOffice365) {
      if (!mxIsOffice365 || root.records.length !== 1 || root.includesOffice365) return [];
      return [finding(F.SPF_NO_OFFICE365_INCLUDE, d, `The MX of ${d} is Office 365, but SPF does not include ${OFFICE365_INCLUDE}.`, [root.records[0]!])];
    },
  };
}
