import type { Finding } from '../../src-main/contract/findings';
import { bySeverity, FINDING_AREAS, SEVERITY_ORDER, type FindingArea } from '../../src-main/contract/finding-order';

/**
 * Findings grouped by area, worst first inside each group, and the groups
 * worst first (issue 8), in the contract's order among equals.
 */
export function groupFindings(findings: readonly Finding[]): { area: FindingArea; findings: Finding[] }[] {
  const groups = FINDING_AREAS.map((area) => ({
    area,
    findings: findings.filter((f) => f.area === area).sort(bySeverity),
  }));
  const worst = (g: { findings: Finding[] }): number => SEVERITY_ORDER[g.findings[0]?.severity ?? 'ok'];
  return groups.filter((g) => g.findings.length > 0).sort((a, b) => worst(b) - worst(a));
}

export const AREA_TITLES: Readonly<Record<FindingArea, string>> = {
  dns: 'DNS',
  mx: 'MX records',
  spf: 'SPF',
  dmarc: 'DMARC',
  dkim: 'DKIM',
  autodiscover: 'Autodiscover',
  'mta-sts': 'MTA-STS',
  'tls-rpt': 'TLS reporting (TLS-RPT)',
  dane: 'DANE (TLSA)',
  'reverse-dns': 'Reverse DNS',
  smtp: 'SMTP',
  tls: 'TLS',
  certificate: 'Certificates',
  connector: 'Exchange Online connectors',
  plan: 'Plan',
};
