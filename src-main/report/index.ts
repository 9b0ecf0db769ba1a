export { exportSubject } from './export';
export type { ExportOptions, ExportedFile } from './export';
export { checkHtml, planHtml, probeReportHtml, REPORT_CSP } from './html';
export { checkMarkdown, probeReportMarkdown } from './markdown';
export { escapeHtml, escapeMarkdown } from './escape';
