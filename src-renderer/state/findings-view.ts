import { bySeverity, FindingAreaSchema, type Finding, type FindingArea } from '../../src-main/contract/findings';

/** Findings grouped by area in the contract's order, worst first inside each group. */
export function groupFindings(findings: readonly Finding[]): { area: FindingArea; findings: Finding[] }[] {
  const groups = FindingAreaSchema.options.map((area) => ({
    area,
    findings: findings.filter((f) => f.area === area).sort(bySeverity),
  }));
  return groups.filter((g) => g.findings.length > 0);
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
