import type { Command } from 'commander';
import { InputError } from '../../contract/errors';
import { z } from 'zod';
import { LIMITS } from '../../contract/api';
import { TlsObservationSchema } from '../../contract/planner';
import type { ExistingConnector, TlsObservation } from '../../contract/planner';
import { buildPlan, importAcceptedDomains, importConnectors, issuePath, parseProfile, renderPlanMarkdown, renderPlanPowerShell } from '../../planner/index';
import { decodeText, MAX_IMPORT_BYTES } from '../../planner/import';
import { choice } from '../choice';
import { EXIT } from '../errors';
import { readUserFile, writeUserFile } from '../user-files';
import { collect } from './check-deps';

/**
 * `mailflow-doctor plan <profile.json> [--existing <file>]... [--observations <file>] [--format md|json|ps1] [--out <file>]`
 *
 * Works offline: reads the profile (and connector exports), asks the pure
 * planner, prints the plan. Files are read here, never in the planner.
 * Exit code 1 when the plan has a problem of severity fail (a connector the
 * cmdlet would refuse, a missing or wrong existing connector), else 0.
 */
const FORMATS = ['md', 'json', 'ps1'] as const;
type Format = (typeof FORMATS)[number];

async function readInput(file: string): Promise<Uint8Array> {
  return new Uint8Array(await readUserFile(file, MAX_IMPORT_BYTES));
}

const ObservationsSchema = z.array(TlsObservationSchema).max(LIMITS.observations);

/**
 * A JSON array of TLS results (`[{ "target": "mail.contoso.com", "ok": false, "message": "..." }]`),
 * e.g. written by hand from `mailflow-doctor probe`, so flows can show "TLS failing" offline too.
 */
export function parseObservations(text: string, where: string): TlsObservation[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError(`${where}: not valid JSON.`, where);
  }
  const result = ObservationsSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InputError(`${where}: ${issuePath(issue?.path ?? [])}: ${issue?.message ?? 'invalid'} (expected an array of at most ${LIMITS.observations} { target, ok, code?, message } objects).`, where);
  }
  return result.data;
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('work out the Office 365 connectors an organisation needs, its mail flows, gaps and the PowerShell (offline)')
    .argument('<profile.json>', 'the organisation profile (see examples/ and examples/profile.schema.json)')
    .option('--existing <file>', 'a Get-InboundConnector / Get-OutboundConnector | ConvertTo-Json -Depth 5 export to compare with (repeatable)', collect, [] as string[])
    .option('--accepted-domains <file>', 'a Get-AcceptedDomain | ConvertTo-Json export, to check shared domains are InternalRelay')
    .option('--observations <file>', 'TLS results to show on the flows: a JSON array of { "target", "ok", "code"?, "message" } (target: own-server, partner:<name> or a host name)')
    .option('--format <format>', 'md (report), json (stable interface) or ps1 (PowerShell script)', 'md')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (profileFile: string, options: { existing: string[]; acceptedDomains?: string; observations?: string; format: string; out?: string }) => {
      const format: Format = choice('--format', options.format, FORMATS);
      const profile = parseProfile(decodeText(profileFile, await readInput(profileFile)), profileFile);
      const existing: ExistingConnector[] = [];
      for (const file of options.existing) existing.push(...importConnectors(file, await readInput(file)));
      // An empty export still counts: it says no connectors exist.
      const observations = options.observations ? parseObservations(decodeText(options.observations, await readInput(options.observations)), options.observations) : [];
      const acceptedDomains = options.acceptedDomains ? importAcceptedDomains(options.acceptedDomains, await readInput(options.acceptedDomains)) : undefined;
      const plan = buildPlan(profile, existing, observations, { existingImported: options.existing.length > 0, ...(acceptedDomains ? { acceptedDomains } : {}) });
      const text = format === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : format === 'ps1' ? renderPlanPowerShell(plan) : renderPlanMarkdown(plan);
      if (options.out) {
        await writeUserFile(options.out, text);
        process.stderr.write(`Plan written to ${options.out}\n`);
      } else {
        process.stdout.write(text);
      }
      const failing = plan.gaps.some((g) => g.severity === 'fail') || plan.findings.some((f) => f.severity === 'fail');
      process.exitCode = failing ? EXIT.failFinding : EXIT.ok;
    });
}
