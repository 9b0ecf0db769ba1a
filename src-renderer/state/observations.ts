import type { Plan, Profile, TlsObservation } from '../../src-main/contract/planner';
import { actorId, partnerActor } from '../../src-main/contract/actors';
import type { ProbeReport } from '../../src-main/contract/probe';
import type { CheckReport } from '../../src-main/contract/check';

/**
 * Turning diagnoses into the plain data the planner takes
 * (`TlsObservation`), so TLS failures found by a probe show on the diagram.
 */
export type { TlsObservation };

const TLS_AREAS = new Set(['smtp', 'tls', 'certificate']);
const TLS_STAGES = new Set(['starttls', 'tls']);

/**
 * The TlsSettings Office 365 will use towards a target, as the planner
 * decided it (`plan.tlsRequirements`); undefined means opportunistic TLS (or
 * no plan yet). A probe is judged against it (a self-signed certificate is
 * fine for EncryptionOnly and fatal for CertificateValidation). The renderer
 * never works this out itself, so the verdict cannot disagree with the plan.
 */
export function requiredTlsSetting(plan: Plan | undefined, target: string): string | undefined {
  return plan?.tlsRequirements.find((r) => r.target === target)?.setting;
}

/** The first TLS problem a probe found, or undefined when TLS worked (for the TLS setting required, when known). */
export function tlsProblem(probe: ProbeReport, requiredSetting?: string): { code?: string; message: string } | undefined {
  const where = `${probe.host} (${probe.address})`;
  // With the setting known, its prediction decides: a self-signed or expired certificate fails
  // CertificateValidation (and is a failure finding then) but is fine for EncryptionOnly.
  const predicted = requiredSetting && probe.tls ? probe.predictions.find((p) => p.direction === 'outbound' && p.setting === requiredSetting) : undefined;
  if (predicted?.verdict === 'pass') return undefined;
  const failing = probe.findings.find((f) => f.severity === 'fail' && TLS_AREAS.has(f.area) && !(predicted && f.area === 'certificate'));
  if (failing) return { code: failing.code, message: `${where}: ${failing.message}` };
  const stage = probe.stages.find((s) => s.status === 'failed' && TLS_STAGES.has(s.name));
  if (stage) return { message: `${where}: ${stage.name} failed${stage.detail ? `: ${stage.detail}` : ''}` };
  if (!probe.starttls && probe.tls === null) return { code: 'STARTTLS_NOT_OFFERED', message: `${where} does not offer STARTTLS.` };
  if (requiredSetting) {
    const prediction = probe.predictions.find((p) => p.direction === 'outbound' && p.setting === requiredSetting && p.verdict === 'fail');
    if (prediction) {
      const certificateFinding = probe.findings.find((f) => f.area === 'certificate' && f.severity !== 'ok' && f.severity !== 'info');
      return { ...(certificateFinding ? { code: certificateFinding.code } : {}), message: `${where}: ${requiredSetting} would fail${prediction.ndr ? ` (${prediction.ndr})` : ''}: ${prediction.reason.replace(/^Certificate validation would fail: /, '')}` };
    }
  }
  return undefined;
}

/** One observation for a target from all its probes: failing if any address fails. */
export function observationFromProbes(target: string, probes: readonly ProbeReport[], requiredSetting?: string): TlsObservation | undefined {
  if (probes.length === 0) return undefined;
  for (const probe of probes) {
    const problem = tlsProblem(probe, requiredSetting);
    if (problem) return { target, ok: false, ...(problem.code ? { code: problem.code } : {}), message: problem.message };
  }
  const first = probes[0]!;
  return { target, ok: true, message: `TLS works on ${probes.map((p) => `${p.host} (${p.address})`).join(', ')}${first.tls ? ` with ${first.tls.version}` : ''}.` };
}

export function probesOfCheck(report: CheckReport): ProbeReport[] {
  return report.mx.flatMap((m) => m.probes);
}

/** What a typed domain or host is on the diagram: `own-server`, `partner:<name>`, or nothing. */
export function targetForInput(profile: Profile, input: string): string | undefined {
  const value = normalise(input);
  if (!value) return undefined;
  for (const p of profile.partners) {
    if (p.domains.some((d) => normalise(d) === value) || p.smartHosts.some((h) => normalise(h) === value)) return actorId(partnerActor(p.name));
  }
  for (const s of profile.ownServers) {
    if (s.hostNames.some((h) => normalise(h) === value) || s.publicIps.includes(value) || s.domains.some((d) => normalise(d) === value)) return 'own-server';
  }
  return undefined;
}

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

export interface DiagnoseChoice {
  readonly label: string;
  readonly kind: 'domain' | 'host';
  readonly value: string;
  /** What the result feeds on the diagram (`own-server`, `partner:<name>`), if anything. */
  readonly target: string | undefined;
}

/** What the profile offers to diagnose: own MX (accepted domains), own servers, partners' domains and smart hosts. */
export function diagnoseChoices(profile: Profile): DiagnoseChoice[] {
  const choices: DiagnoseChoice[] = [];
  for (const d of profile.acceptedDomains) choices.push({ label: `Your domain ${d} (MX and DNS)`, kind: 'domain', value: d, target: undefined });
  for (const s of profile.ownServers) {
    for (const h of s.hostNames) choices.push({ label: `Your server ${s.name}: ${h}`, kind: 'host', value: h, target: 'own-server' });
  }
  for (const p of profile.partners) {
    for (const d of p.domains) choices.push({ label: `Partner ${p.name}: ${d}`, kind: 'domain', value: d, target: actorId(partnerActor(p.name)) });
    for (const h of p.smartHosts) choices.push({ label: `Partner ${p.name} smart host: ${h}`, kind: 'host', value: h, target: actorId(partnerActor(p.name)) });
  }
  return choices;
}
