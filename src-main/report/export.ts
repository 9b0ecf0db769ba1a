import type { ExportFormat, ExportSubject } from '../contract/api';
import { renderPlanMarkdown, renderPlanPowerShell, withPowerShellFromParameters } from '../planner/index';
import { fileNamePart } from '../text/escape';
import { checkHtml, planHtml, probeReportHtml } from './html';
import { checkMarkdown, probeReportMarkdown } from './markdown';

export interface ExportOptions {
  readonly generatedAt: Date;
}

export interface ExportedFile {
  readonly fileName: string;
  readonly mimeType: string;
  readonly text: string;
}

const MIME: Readonly<Record<ExportFormat, string>> = {
  json: 'application/json',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  ps1: 'text/plain; charset=utf-8',
};

/**
 * A check report, probe report or plan read from a file as a file to save:
 * JSON, Markdown, printable HTML, or (plans) PowerShell. A plan read back as
 * JSON has its PowerShell written again from its parameters, never taken as given.
 */
export function exportSubject(given: ExportSubject, format: ExportFormat, options: ExportOptions): ExportedFile {
  return exportBuiltSubject(given.kind === 'plan' ? { ...given, plan: withPowerShellFromParameters(given.plan) } : given, format, options);
}

/** Like `exportSubject`, for a plan main built itself this session (`report:export` by plan id): exported as it is. */
export function exportBuiltSubject(subject: ExportSubject, format: ExportFormat, options: ExportOptions): ExportedFile {
  const day = options.generatedAt.toISOString().slice(0, 10);
  const base =
    subject.kind === 'check'
      ? `mailflow-check-${fileNamePart(subject.report.domain)}-${day}`
      : subject.kind === 'probe'
        ? `mailflow-probe-${fileNamePart(`${subject.report.host}-${subject.report.port}`)}-${day}`
        : `mailflow-plan-${fileNamePart(subject.plan.profileName)}-${day}`;
  return { fileName: `${base}.${format}`, mimeType: MIME[format], text: render(subject, format, options) };
}

function render(subject: ExportSubject, format: ExportFormat, options: ExportOptions): string {
  if (format === 'json') return `${JSON.stringify(subject.kind === 'plan' ? subject.plan : subject.report, null, 2)}\n`;
  switch (subject.kind) {
    case 'check':
      if (format === 'md') return checkMarkdown(subject.report);
      if (format === 'html') return checkHtml(subject.report, options.generatedAt);
      break;
    case 'probe':
      if (format === 'md') return probeReportMarkdown(subject.report);
      if (format === 'html') return probeReportHtml(subject.report, options.generatedAt);
      break;
    case 'plan':
      if (format === 'md') return renderPlanMarkdown(subject.plan);
      if (format === 'html') return planHtml(subject.plan, options.generatedAt, subject.diagram);
      return renderPlanPowerShell(subject.plan);
  }
  throw new RangeError(`Only a plan can be saved as ${format}.`);
}
