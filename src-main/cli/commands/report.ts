import type { Command } from 'commander';
import type { ExportFormat, ExportSubject } from '../../contract/api';
import { CheckReportSchema } from '../../contract/check';
import { PlanSchema } from '../../contract/planner';
import { ProbeReportSchema } from '../../contract/probe';
import { exportSubject } from '../../report/export';
import { choice } from '../choice';
import { UsageError } from '../errors';
import { readUserFile, writeUserFile } from '../user-files';

const MAX_INPUT_BYTES = 32 * 1024 * 1024;

/** The export formats, in the order the help and errors name them. */
export const REPORT_FORMATS = ['html', 'md', 'json', 'ps1'] as const satisfies readonly ExportFormat[];

/**
 * `mailflow-doctor report <file.json>`: turns a saved check report
 * (`check --json`), probe report (`probe --json`) or plan (`plan --format json`)
 * into the same printable HTML or Markdown the app exports.
 */
export function register(program: Command): void {
  program
    .command('report')
    .description('turn a saved JSON check report, probe report or plan into printable HTML or Markdown')
    .argument('<file>', 'the JSON file (from check --json, probe --json or plan --format json)')
    .option('--format <format>', 'html, md, json, or ps1 (plans only)', 'html')
    .option('--out <file>', 'write here instead of to the screen')
    .action(async (file: string, options: { format: string; out?: string }) => {
      const format = choice('--format', options.format, REPORT_FORMATS);
      const subject = identify(await readJson(file), file);
      let exported;
      try {
        exported = exportSubject(subject, format, { generatedAt: new Date() });
      } catch (error) {
        throw new UsageError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (options.out) await writeUserFile(options.out, exported.text);
      else process.stdout.write(exported.text);
    });
}

async function readJson(file: string): Promise<unknown> {
  const text = (await readUserFile(file, MAX_INPUT_BYTES)).toString('utf8');
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new UsageError(`${file}: not valid JSON`);
  }
}

/** Which of the three report shapes a file holds. */
export function identify(data: unknown, where: string): ExportSubject {
  const check = CheckReportSchema.safeParse(data);
  if (check.success) return { kind: 'check', report: check.data };
  const plan = PlanSchema.safeParse(data);
  if (plan.success) return { kind: 'plan', plan: plan.data };
  const probe = ProbeReportSchema.safeParse(Array.isArray(data) && data.length === 1 ? data[0] : data);
  if (probe.success) return { kind: 'probe', report: probe.data };
  throw new UsageError(`${where}: not a check report, probe report or plan saved by mailflow-doctor`);
}
