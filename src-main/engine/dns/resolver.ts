import type { DnsAnswer, RecordType } from '../../contract/dns';

/**
 * What the rest of the engine needs from DNS. The real implementation (dns2:
 * UDP, TCP, DoH, with deadlines, caching and shared in-flight lookups) lives
 * beside this file; checks and probes only see this interface.
 */
export interface Resolver {
  /** Which server(s) answer, for reports (e.g. `127.0.0.1:5300`). */
  readonly label?: string;
  /** Never rejects for DNS failures: they come back as the answer's `outcome`. */
  query(name: string, type: RecordType, options?: { signal?: AbortSignal }): Promise<DnsAnswer>;
}
