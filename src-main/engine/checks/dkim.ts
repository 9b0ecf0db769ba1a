import type { DnsAnswer } from '../../contract/dns';
import type { Finding } from '../../contract/findings';
import { finding } from '../findings';
import { F } from './catalogue';
import { describeAnswer, isFailure, txtTexts, type CheckContext } from './context';

export const OFFICE365_SELECTORS = ['selector1', 'selector2'] as const;

export interface SelectorResult {
  readonly selector: string;
  readonly answer: DnsAnswer;
  readonly hasKey: boolean;
  readonly office365Target: boolean;
}

function hasDkimKey(answer: DnsAnswer): boolean {
  return txtTexts(answer).some((t) => /(^|;)\s*p\s*=\s*[A-Za-z0-9+/=]{16,}/.test(t) || /^\s*v\s*=\s*DKIM1/i.test(t) && /(^|;)\s*p\s*=\s*[A-Za-z0-9+/]/.test(t));
}

/** One TXT query per selector; the resolver follows the CNAME (Microsoft 365 publishes selectors as CNAMEs). */
export async function lookupSelector(ctx: CheckContext, selector: string): Promise<SelectorResult> {
  const answer = await ctx.query(`${selector}._domainkey.${ctx.domain}`, 'TXT');
  const last = answer.cnameChain[answer.cnameChain.length - 1] ?? '';
  return { selector, answer, hasKey: hasDkimKey(answer), office365Target: /\.onmicrosoft\.com$|\.dkim\.mail\.microsoft$/.test(last) };
}

export function judgeDkim(domain: string, results: readonly SelectorResult[], userSelectors: readonly string[], mxIsOffice365: boolean): Finding[] {
  const findings: Finding[] = [];
  const bySelector = new Map(results.map((r) => [r.selector, r]));
  const o365 = OFFICE365_SELECTORS.map((s) => bySelector.get(s)!).filter((r) => r !== undefined);
  for (const r of results) {
    if (isFailure(r.answer)) continue;
    const name = `${r.selector}._domainkey.${domain}`;
    const evidence = describeAnswer(r.answer);
    const isUser = userSelectors.includes(r.selector);
    if (r.hasKey) findings.push(finding(F.DKIM_SELECTOR_OK, name, `DKIM key published for selector ${r.selector}${r.answer.cnameChain.length ? ` (via ${r.answer.cnameChain.join(' -> ')})` : ''}.`, evidence));
    else if (r.answer.cnameChain.length > 0 || r.answer.outcome === 'answer') findings.push(finding(F.DKIM_SELECTOR_NO_KEY, name, `Selector ${r.selector} exists${r.answer.cnameChain.length ? ` (CNAME -> ${r.answer.cnameChain.join(' -> ')})` : ''} but holds no DKIM key.`, evidence));
    else if (isUser) findings.push(finding(F.DKIM_SELECTOR_MISSING, name, `No DKIM record for selector ${r.selector}.`, evidence));
  }
  const o365Present = o365.some((r) => r.hasKey || r.answer.cnameChain.length > 0);
  if (!o365Present && !o365.some((r) => isFailure(r.answer))) {
    const evidence = o365.flatMap((r) => describeAnswer(r.answer));
    if (mxIsOffice365) findings.push(finding(F.DKIM_OFFICE365_MISSING, domain, `${domain} uses Office 365 but has no DKIM selectors selector1/selector2.`, evidence));
    else if (userSelectors.length === 0) findings.push(finding(F.DKIM_NOT_FOUND, domain, `No DKIM key at selector1/selector2 of ${domain}.`, evidence));
  }
  return findings;
}
