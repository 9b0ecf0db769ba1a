import type { Finding } from '../../contract/findings';
import type { Resolver } from '../dns/resolver';
import { finding } from '../findings';
import { F } from '../checks/catalogue';
import { checkHost, type SpfEvaluation } from './check-host';

/**
 * "Does mail from my own server's public IP pass SPF for my domain?": one
 * check_host() per address, as a receiver would run it for mail from
 * `postmaster@<domain>` sent by that address, and the finding to report.
 */
export interface OwnServerSpf {
  readonly ip: string;
  readonly passes: boolean;
  readonly evaluation: SpfEvaluation;
}

export async function doesIpPassSpf(domain: string, ip: string, options: { readonly resolver: Resolver; readonly signal?: AbortSignal; readonly sender?: string }): Promise<OwnServerSpf> {
  const evaluation = await checkHost({ ip, domain, sender: options.sender ?? `postmaster@${domain}`, helo: domain }, { resolver: options.resolver, ...(options.signal ? { signal: options.signal } : {}) });
  return { ip, passes: evaluation.result === 'pass', evaluation };
}

/** The way to the result in one line: `contoso.com include:x -> x -all`. */
export function spfPathText(evaluation: SpfEvaluation): string {
  return evaluation.path.map((step) => `${step.domain} ${step.term}`).join(' -> ');
}

/** SPF_OWN_SERVER_PASSES or SPF_OWN_SERVER_FAILS for one address (temperror is a warning: DNS may answer next time). */
export function ownServerFinding(domain: string, own: OwnServerSpf): Finding {
  const e = own.evaluation;
  const evidence = [
    `check_host(${e.ip}, ${e.domain}, ${e.sender}) = ${e.result}`,
    ...(e.path.length > 0 ? [`path: ${spfPathText(e)}`] : []),
    `reason: ${e.reason}`,
    `DNS-querying terms: ${e.lookups} of 10; void lookups: ${e.voidLookups} of 2`,
    ...(e.explanation !== undefined ? [`explanation: ${e.explanation}`] : []),
  ];
  const subject = `${domain} from ${own.ip}`;
  if (own.passes) return finding(F.SPF_OWN_SERVER_PASSES, subject, `Mail from ${own.ip} passes SPF for ${domain}.`, evidence);
  return finding(
    F.SPF_OWN_SERVER_FAILS, subject,
    `Mail from ${own.ip} gets SPF ${e.result} for ${domain}, not pass: ${e.reason}.`,
    evidence,
    e.result === 'temperror' ? { severity: 'warn' } : {},
  );
}

/** The findings for `check --sender-ip`: one per address, evaluated at once. */
export async function ownServerFindings(domain: string, ips: readonly string[], options: { readonly resolver: Resolver; readonly signal?: AbortSignal }): Promise<Finding[]> {
  const results = await Promise.all(ips.map((ip) => doesIpPassSpf(domain, ip, options)));
  return results.map((own) => ownServerFinding(domain, own));
}
