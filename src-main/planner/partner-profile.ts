import type { PartnerResult } from '../contract/partners';
import type { Partner } from '../contract/planner';

/**
 * A checked partner as a planner profile partner, with the settings the test
 * verified: outbound TLS with the strongest check that passed on every MX
 * (CA-issued with the name, or CA-issued), inbound restricted by the
 * certificate or the SPF ranges that passed. Partners that are not ready
 * give nothing: the profile only takes what would work. Pure.
 */
export function profilePartnerOf(result: PartnerResult): Partner | null {
  if (result.status !== 'ready' && result.status !== 'ready-with-warnings') return null;
  const { DomainValidation: dv, CertificateValidation: cv, TlsSenderCertificateName: byCert, SenderIPAddresses: byIp } = result.readiness;
  const outbound = result.direction !== 'inbound' && cv.verdict === 'pass';
  const inbound = result.direction !== 'outbound';
  const name = (result.name ?? result.domainUnicode).replace(/[\r\n]+/g, ' ').slice(0, 100);
  const certificateName = result.tlsDomain ?? (dv.verdict === 'pass' ? dv.value : undefined);
  return {
    name,
    domains: [result.domain],
    requireTlsInbound: inbound,
    requireTlsOutbound: outbound,
    certificateCheck: outbound && certificateName ? 'ca-issued-with-name' : 'ca-issued',
    ...(outbound && certificateName ? { certificateName } : {}),
    ...(inbound && byCert.verdict === 'pass' && byCert.value ? { senderCertificateName: byCert.value } : {}),
    ipRanges: inbound && byCert.verdict !== 'pass' && byIp.verdict === 'pass' ? [...(byIp.values ?? [])] : [],
    smartHosts: [],
  };
}
