import type { Finding } from '../../contract/findings';
import type { ProbeReport } from '../../contract/probe';
import { finding } from '../findings';
import { SMTP_FINDINGS as F } from './findings';

/**
 * PORT25_BLOCKED: when every address of every MX timed out on port 25, the
 * likely cause is this network (home and corporate networks block outbound
 * port 25), not every server being down at once.
 */
export function port25BlockedFinding(domain: string, probesPerMx: ReadonlyArray<readonly ProbeReport[]>): Finding | null {
  const all = probesPerMx.flat().filter((p) => p.port === 25);
  if (all.length === 0 || probesPerMx.some((probes) => probes.length === 0)) return null;
  if (!all.every((p) => p.findings.some((f) => f.code === 'SMTP_CONNECT_TIMEOUT'))) return null;
  return finding(F.PORT25_BLOCKED, domain, `Port 25 timed out to all ${all.length} address(es) of ${probesPerMx.length} MX host(s): outbound port 25 looks blocked from this network, so the SMTP and TLS of these servers could not be tested from here.`,
    all.map((p) => `${p.host} ${p.address}:25 timed out after ${p.elapsedMs} ms`));
}
