import type { CertificateVerdict } from './probe';

/**
 * The verdict's word for tables: never a bare "trusted" when the chain is
 * trusted only through a CA the user added (Exchange Online would not trust it).
 *
 * Its own module, free of schemas: the command line's probe prints it without
 * building the contract's zod schemas (see ./finding-order.ts).
 */
export function certificateSummaryWord(verdict: Pick<CertificateVerdict, 'summary' | 'trustAnchorSource'>): string {
  return verdict.summary === 'trusted' && verdict.trustAnchorSource === 'extra' ? 'trusted by your CA file only' : verdict.summary;
}
