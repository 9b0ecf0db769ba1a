import type { Finding } from '../../contract/findings';
import { finding } from '../findings';
import { F } from './catalogue';
import { describeAnswer, isFailure, txtTexts, type CheckContext } from './context';

/** TLS-RPT (RFC 8460 §3): `v=TLSRPTv1; rua=mailto:...,https://...`. */
export function parseTlsRpt(text: string): string[] {
  const problems: string[] = [];
  const parts = text.split(';').map((p) => p.trim()).filter((p) => p !== '');
  if (parts[0] !== 'v=TLSRPTv1') problems.push('it must start with "v=TLSRPTv1"');
  const rua = parts.find((p) => /^rua\s*=/i.test(p));
  if (!rua) problems.push('the "rua=" tag is missing');
  else {
    for (const uri of rua.replace(/^rua\s*=\s*/i, '').split(',').map((u) => u.trim())) {
      if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/i.test(uri)) problems.push(`rua "${uri}" is not a mailto: or https: URI`);
    }
  }
  return problems;
}

export async function checkTlsRpt(ctx: CheckContext, mtaStsOrDanePresent: Promise<boolean>): Promise<Finding[]> {
  const name = `_smtp._tls.${ctx.domain}`;
  const answer = await ctx.query(name, 'TXT');
  if (isFailure(answer)) return [];
  const evidence = describeAnswer(answer);
  const texts = txtTexts(answer).filter((t) => /^v=TLSRPTv1/i.test(t.trim()));
  if (texts.length === 0) {
    const needed = await mtaStsOrDanePresent;
    return [finding(F.TLSRPT_MISSING, ctx.domain, `${ctx.domain} has no TLS-RPT record at ${name}.`, evidence, needed ? { severity: 'warn' } : {})];
  }
  if (texts.length > 1) return [finding(F.TLSRPT_INVALID, ctx.domain, `${name} has ${texts.length} TLS-RPT records; senders ignore them.`, evidence)];
  const problems = parseTlsRpt(texts[0]!);
  if (problems.length > 0) return [finding(F.TLSRPT_INVALID, ctx.domain, `The TLS-RPT record of ${ctx.domain} is invalid: ${problems.join('; ')}.`, evidence)];
  return [finding(F.TLSRPT_OK, ctx.domain, `TLS reports go to ${texts[0]!.replace(/^.*rua\s*=\s*/i, '').replace(/;.*$/, '')}.`, evidence)];
}
