import type { DnsAnswer } from '../../contract/dns';
import type { Finding } from '../../contract/findings';
import { finding } from '../findings';
import { F } from './catalogue';
import { describeAnswer, isFailure, txtTexts, type CheckContext } from './context';

export interface DmarcRecord {
  readonly v: string;
  readonly p?: string;
  readonly sp?: string;
  readonly pct?: number;
  readonly rua: readonly string[];
  readonly ruf: readonly string[];
  readonly adkim?: string;
  readonly aspf?: string;
}

/** Parses a DMARC record (RFC 7489 §6.3); returns the problems found, if any. */
export function parseDmarc(text: string): { record?: DmarcRecord; problems: string[] } {
  const problems: string[] = [];
  const trimmed = text.trim();
  if (!/^v\s*=\s*DMARC1\s*(;|$)/.test(trimmed)) {
    problems.push(/^v\s*=\s*DMARC1\s*,/i.test(trimmed) ? 'tags are separated by "," instead of ";"' : 'it must start with "v=DMARC1;"');
  }
  const tags = new Map<string, string>();
  for (const part of trimmed.split(';')) {
    const joined = part.trim();
    if (joined === '') continue;
    // A missing ";" hides the next tag inside this one's value ("rua=mailto:a@b pct=150"): name the
    // missing ";" and still read the hidden tag, so every problem is reported at once (issue 8).
    const items = joined.split(/[\s,]+(?=[a-z]{1,10}\s*=)/i);
    if (items.length > 1) problems.push(`"${joined}" holds several tags: a ";" is missing before ${items.slice(1).map((i) => `"${i.split('=')[0]!.trim()}="`).join(', ')}`);
    for (const item of items) {
      const eq = item.indexOf('=');
      if (eq <= 0) { problems.push(`"${item}" is not a tag=value pair`); continue; }
      const key = item.slice(0, eq).trim().toLowerCase();
      const value = item.slice(eq + 1).trim();
      if (tags.has(key)) problems.push(`tag "${key}" appears twice`);
      tags.set(key, value);
    }
  }
  const p = tags.get('p')?.toLowerCase();
  if (p === undefined) problems.push('the policy tag "p=" is missing');
  else if (!['none', 'quarantine', 'reject'].includes(p)) problems.push(`p="${tags.get('p')}" is not none, quarantine or reject`);
  const sp = tags.get('sp')?.toLowerCase();
  if (sp !== undefined && !['none', 'quarantine', 'reject'].includes(sp)) problems.push(`sp="${tags.get('sp')}" is not none, quarantine or reject`);
  let pct: number | undefined;
  const pctText = tags.get('pct');
  if (pctText !== undefined) {
    pct = /^\d{1,3}$/.test(pctText) ? Number(pctText) : NaN;
    if (!(pct >= 0 && pct <= 100)) problems.push(`pct="${pctText}" is not a whole number from 0 to 100`);
  }
  const uris = (key: 'rua' | 'ruf'): string[] => {
    const value = tags.get(key);
    if (value === undefined) return [];
    const list = value.split(',').map((u) => u.trim()).filter((u) => u !== '');
    for (const uri of list) if (!/^mailto:[^\s@]+@[^\s@!]+(![0-9]+[kmgt]?)?$/i.test(uri)) problems.push(`${key} "${uri}" is not a mailto: URI`);
    return list;
  };
  const rua = uris('rua');
  const ruf = uris('ruf');
  for (const key of ['adkim', 'aspf'] as const) {
    const value = tags.get(key);
    if (value !== undefined && !/^[rs]$/i.test(value)) problems.push(`${key}="${value}" is not r or s`);
  }
  const record: DmarcRecord = {
    v: tags.get('v') ?? '', rua, ruf,
    ...(p !== undefined ? { p } : {}), ...(sp !== undefined ? { sp } : {}), ...(pct !== undefined ? { pct } : {}),
    ...(tags.has('adkim') ? { adkim: tags.get('adkim')! } : {}), ...(tags.has('aspf') ? { aspf: tags.get('aspf')! } : {}),
  };
  return { record, problems };
}

/** The TXT records of an answer that are DMARC records (others at the name are ignored, RFC 7489 §6.6.3). */
function dmarcTexts(answer: DnsAnswer): string[] {
  return txtTexts(answer).filter((t) => /^\s*v\s*=\s*DMARC1/i.test(t));
}

/** At most this many `_dmarc` lookups per domain, the first included (DMARCbis DNS tree walk). */
export const MAX_TREE_WALK_QUERIES = 8;

/**
 * The names whose `_dmarc` record the DMARCbis DNS tree walk
 * (draft-ietf-dmarc-dmarcbis, "DNS Tree Walk") asks, nearest first, when the
 * domain has none: drop labels from the left, but from a name of 8 labels or
 * more jump straight to its right-most 7, so the walk costs at most 7 lookups
 * after the first. Unlike the draft, the bare TLD is never asked: a check is
 * about one organisation's domain, and public-suffix policies (psd=y) are not
 * what its admins can change.
 */
export function dmarcTreeWalkNames(domain: string): string[] {
  const labels = domain.split('.').filter((l) => l !== '');
  const first = labels.length >= MAX_TREE_WALK_QUERIES ? labels.length - (MAX_TREE_WALK_QUERIES - 1) : 1;
  const names: string[] = [];
  for (let i = first; i <= labels.length - 2; i++) names.push(labels.slice(i).join('.'));
  return names.slice(0, MAX_TREE_WALK_QUERIES - 1);
}

export async function checkDmarc(ctx: CheckContext): Promise<Finding[]> {
  const name = `_dmarc.${ctx.domain}`;
  const answer = await ctx.query(name, 'TXT');
  if (isFailure(answer)) return [];
  const evidence = describeAnswer(answer);
  const texts = dmarcTexts(answer);
  if (texts.length === 0) return walkTheTree(ctx, evidence);
  if (texts.length > 1) return [finding(F.DMARC_MALFORMED, ctx.domain, `${name} has ${texts.length} DMARC records; receivers ignore them all.`, evidence)];
  const { record, problems } = parseDmarc(texts[0]!);
  if (problems.length > 0) return [finding(F.DMARC_MALFORMED, ctx.domain, `The DMARC record of ${ctx.domain} is malformed: ${problems.join('; ')}.`, evidence)];
  const findings: Finding[] = [];
  if (record?.p === 'none') findings.push(finding(F.DMARC_POLICY_NONE, ctx.domain, `The DMARC policy of ${ctx.domain} is p=none (monitoring only).`, evidence));
  if (record && record.rua.length === 0) findings.push(finding(F.DMARC_NO_REPORTS, ctx.domain, `The DMARC record of ${ctx.domain} asks for no aggregate reports (no rua=).`, evidence));
  if (record?.p !== 'none') findings.push(finding(F.DMARC_OK, ctx.domain, `DMARC policy p=${record?.p}${record?.pct !== undefined ? `, pct=${record.pct}` : ''}${record?.rua.length ? `, reports to ${record.rua.join(', ')}` : ''}.`, evidence));
  return findings;
}

/**
 * The domain has no DMARC record: receivers apply the nearest parent's
 * (DMARCbis tree walk). The parent lookups start only now, all at once, so a
 * walk of any depth adds one round trip; they are read nearest first, and a
 * failed lookup before any record is found stays a DNS failure (never
 * "missing"). Lookups above the record that applies are not needed, so their
 * failures are not reported.
 */
async function walkTheTree(ctx: CheckContext, evidence: string[]): Promise<Finding[]> {
  const own = `_dmarc.${ctx.domain}`;
  const parents = dmarcTreeWalkNames(ctx.domain);
  const pending = parents.map((parent) => ctx.query(`_dmarc.${parent}`, 'TXT', { quiet: true }));
  for (const [index, parent] of parents.entries()) {
    const answer = await pending[index]!;
    if (isFailure(answer)) {
      ctx.reportFailure(answer);
      return [];
    }
    evidence.push(...describeAnswer(answer));
    const texts = dmarcTexts(answer);
    if (texts.length > 0) return judgeInherited(ctx.domain, `_dmarc.${parent}`, texts, evidence);
  }
  const where = parents.length === 0 ? '' : `, nor at ${parents.map((p) => `_dmarc.${p}`).join(' or ')}`;
  return [finding(F.DMARC_MISSING, ctx.domain, `${ctx.domain} has no DMARC record at ${own}${where}.`, evidence)];
}

/** The policy a parent's record sets for this domain: `sp=` (subdomain policy), else `p=`. */
function judgeInherited(domain: string, foundAt: string, texts: readonly string[], evidence: readonly string[]): Finding[] {
  const lead = `No DMARC record at _dmarc.${domain}; `;
  if (texts.length > 1) return [finding(F.DMARC_MALFORMED, domain, `${lead}${foundAt}, whose policy would apply, has ${texts.length} DMARC records; receivers ignore them all.`, evidence)];
  const { record, problems } = parseDmarc(texts[0]!);
  if (problems.length > 0 || !record?.p) return [finding(F.DMARC_MALFORMED, domain, `${lead}the record at ${foundAt}, whose policy would apply, is malformed: ${problems.join('; ')}.`, evidence)];
  const policy = record.sp !== undefined ? `sp=${record.sp}` : `p=${record.p} (the record has no sp=, so p= covers subdomains)`;
  const applies = `${lead}the organisational policy at ${foundAt} applies: ${policy}`;
  const findings: Finding[] = [];
  if ((record.sp ?? record.p) === 'none') {
    findings.push(finding(F.DMARC_POLICY_NONE, domain, `${applies}, which only monitors.`, evidence));
  } else {
    const extras = `${record.pct !== undefined ? `, pct=${record.pct}` : ''}${record.rua.length ? `, reports to ${record.rua.join(', ')}` : ''}`;
    findings.push(finding(F.DMARC_INHERITED, domain, `${applies}${extras}.`, evidence));
  }
  if (record.rua.length === 0) findings.push(finding(F.DMARC_NO_REPORTS, domain, `The DMARC record at ${foundAt}, which applies to ${domain}, asks for no aggregate reports (no rua=).`, evidence));
  return findings;
}
