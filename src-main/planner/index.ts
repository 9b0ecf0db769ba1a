import { InputError } from '../contract/errors';
import { PLAN_SCHEMA_VERSION, ProfileSchema } from '../contract/planner';
import type { ExistingAcceptedDomain, ExistingConnector, Gap, Plan, PlannedConnector, Profile, TlsObservation, TlsRequirement } from '../contract/planner';
import type { DraftConnector } from './rules';
import { tlsStrength } from './connector';
import { planAcceptedDomains } from './accepted-domains';
import { applyRules } from './rules';
import { analyseGaps } from './gaps';
import { buildFlows } from './flows';
import { psCommand, psComment, psCreateBlock, psQuote } from './powershell';
import type { PsValue } from './powershell';
import { readStoredParameters, validateConnector } from './validate';
import type { ConnectorProblem } from './validate';

/**
 * The connector planner: pure functions from an organisation profile (and,
 * optionally, imported connectors and TLS diagnostics as plain data) to a plan.
 * No file, network or engine access: callers read files and pass text.
 */
export { importConnectors, importAcceptedDomains, decodeText } from './import';
export { renderPlanMarkdown } from './markdown';
export { renderPlanPowerShell } from './script';
export { powerShellFileText } from './powershell';

export interface BuildPlanOptions {
  /** Connectors were imported, even if none came back (an empty export means none exist). Default: `existing` is not empty. */
  readonly existingImported?: boolean;
  /** An imported `Get-AcceptedDomain | ConvertTo-Json` export, to check the accepted domains' types against. */
  readonly acceptedDomains?: readonly ExistingAcceptedDomain[];
}

export function buildPlan(
  profile: Profile,
  existing: readonly ExistingConnector[] = [],
  observations: readonly TlsObservation[] = [],
  options: BuildPlanOptions = {},
): Plan {
  const routesCentrally = existing.filter((e) => e.direction === 'outbound' && e.connectorType === 'OnPremises' && e.enabled && e.routeAllMessagesViaOnPremises);
  const rules = applyRules(profile, { centralizedTransportDetected: routesCentrally.length > 0 });
  const imported = options.existingImported ?? existing.length > 0;
  const gapResult = imported ? analyseGaps(profile, rules.connectors, existing) : { matches: new Map<string, ExistingConnector>(), because: new Map<string, string>(), gaps: [] as Gap[] };
  const gaps: Gap[] = [];
  for (const c of rules.connectors) {
    for (const p of c.problems) gaps.push({ code: p.code, severity: 'fail', subject: c.id, message: p.message, fix: p.fix });
    for (const w of c.warnings) gaps.push({ code: w.code, severity: 'warn', subject: c.id, message: w.message, fix: w.fix });
  }
  gaps.push(...gapResult.gaps);
  const domains = planAcceptedDomains(profile, options.acceptedDomains);
  gaps.push(...domains.gaps);
  if (profile.centralizedTransport === false) {
    for (const e of routesCentrally) {
      gaps.push({ code: 'CENTRALIZED_TRANSPORT_FOUND', severity: 'warn', subject: e.name,
        message: `"${e.name}" routes all Exchange Online mail through your own server (RouteAllMessagesViaOnPremises), but the profile says centralised transport is off; mail to the Internet takes a different path than this plan shows.`,
        fix: 'Set centralizedTransport to true in the profile if that is intended, or turn RouteAllMessagesViaOnPremises off on the connector.' });
    }
  }
  const flows = buildFlows({
    profile, situation: rules.situation, connectors: rules.connectors, devices: rules.deviceRecommendations,
    imported, matches: gapResult.matches, gaps, observations,
  });
  const connectors: PlannedConnector[] = rules.connectors.map((c) => {
    const match = gapResult.matches.get(c.id);
    return {
      id: c.id, name: c.name, from: c.from, to: c.to, serves: c.serves, spec: c.spec, fromToText: c.fromToText, cmdlet: c.cmdlet,
      parameters: { ...c.parameters }, reason: c.reason, rule: c.rule, optional: c.optional, createdBy: c.createdBy,
      ...(match ? { existing: match.name } : {}),
      ...(gapResult.because.has(c.id) ? { matchedBecause: gapResult.because.get(c.id) } : {}),
      powershell: connectorPowerShell({ ...c, ...(match ? { existing: match.name } : {}) }),
    };
  });
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    profileName: profile.name,
    existingImported: imported,
    decisions: [...rules.decisions, ...domains.decisions],
    connectors,
    flows,
    gaps,
    findings: rules.findings,
    deviceRecommendations: rules.deviceRecommendations,
    tlsRequirements: tlsRequirements(rules.connectors),
    acceptedDomainChanges: domains.changes,
  };
}

/**
 * The TLS Office 365 insists on towards each target, from the planned
 * outbound connectors (the strictest when several deliver to one target).
 * The app judges a probe of that target against it, so the verdict and the
 * plan cannot disagree.
 */
export function tlsRequirements(connectors: readonly Pick<DraftConnector, 'id' | 'to' | 'spec'>[]): TlsRequirement[] {
  const byTarget = new Map<string, TlsRequirement>();
  for (const c of connectors) {
    if (c.spec.direction !== 'outbound' || c.spec.tlsSettings === undefined) continue;
    const known = byTarget.get(c.to);
    if (!known || tlsStrength(c.spec.tlsSettings) > tlsStrength(known.setting)) byTarget.set(c.to, { target: c.to, setting: c.spec.tlsSettings, connector: c.id });
  }
  return [...byTarget.values()];
}

interface ScriptInput {
  readonly cmdlet: PlannedConnector['cmdlet'];
  readonly name: string;
  readonly parameters: Readonly<Record<string, PsValue>>;
  readonly createdBy: PlannedConnector['createdBy'];
  /** Name of the imported connector it matched. */
  readonly existing?: string;
  readonly problems: readonly ConnectorProblem[];
}

/** The PowerShell for one connector: an idempotent create block, or comments saying why there is none. */
function connectorPowerShell(c: ScriptInput): string {
  const command = psCommand(c.cmdlet, c.name, c.parameters);
  if (c.existing !== undefined && c.createdBy === 'you') {
    // Creating it again under the plan's name would make a duplicate connector.
    return [
      `# Already exists as ${psComment(JSON.stringify(c.existing))}; not created again. Fix the gaps listed for it instead.`,
      `# For reference: ${psComment(command)}`,
    ].join('\n');
  }
  if (c.createdBy === 'hybrid-wizard') {
    return [
      '# Made by the Hybrid Configuration Wizard; not created by this script.',
      '# View or edit it on the connectors page of the Exchange admin centre, or run the wizard again.',
      `# It looks like: ${psComment(command)}`,
    ].join('\n');
  }
  if (c.problems.length > 0) {
    return [
      '# NOT CREATED: the cmdlet would refuse this connector until the profile is fixed:',
      ...c.problems.map((p) => `#   - ${psComment(p.message)}`),
      `# ${psComment(command)}`,
    ].join('\n');
  }
  return psCreateBlock(c.cmdlet, c.name, command);
}

/**
 * A plan read back from JSON (a file, or the UI asking for an export), with
 * each connector's PowerShell written again from its cmdlet, name and
 * parameters.
 *
 * Why: `powershell` is free text in the JSON. A plan edited by hand or passed
 * on by someone else must not put commands into the .ps1 (or the report) that
 * its parameters do not say; unknown parameters and odd values are refused.
 */
export function withPowerShellFromParameters(plan: Plan): Plan {
  return {
    ...plan,
    acceptedDomainChanges: plan.acceptedDomainChanges.map((c) => ({
      ...c,
      powershell: c.current === 'InternalRelay' ? `# ${psComment(c.domain)} is already InternalRelay; nothing to change.` : `Set-AcceptedDomain -Identity ${psQuote(c.domain)} -DomainType InternalRelay`,
    })),
    connectors: plan.connectors.map((c) => {
      const stored = readStoredParameters(c.cmdlet, c.parameters);
      const problems = [...stored.problems, ...validateConnector(c.cmdlet, c.name, stored.parameters)];
      return { ...c, parameters: stored.parameters, powershell: connectorPowerShell({ ...c, parameters: stored.parameters, problems }) };
    }),
  };
}

/** JSON text → a checked Profile; every problem becomes an InputError naming the file and the field. */
export function parseProfile(text: string, where: string): Profile {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 200) : 'unreadable';
    throw new InputError(`${where}: not valid JSON (${detail}).`, where);
  }
  const result = ProfileSchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues;
    const first = issues[0];
    const path = issuePath(first?.path ?? []);
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    throw new InputError(`${where}: ${path}: ${first?.message ?? 'invalid'}${more}. See examples/profile.schema.json.`, `${where}: ${path}`);
  }
  return result.data;
}

/** A zod issue's path as people read it: `partners[0].domains`, or `(top level)`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)';
}
