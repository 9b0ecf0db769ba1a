/**
 * Terminal styling for human output. Colour only when writing to a terminal
 * and not turned off (--no-color, NO_COLOR); piped output stays plain text.
 */
export interface Style {
  readonly enabled: boolean;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (enabled: boolean, open: number, close: number) => (text: string): string =>
  (enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text);

export function createStyle(enabled: boolean): Style {
  return {
    enabled,
    red: wrap(enabled, 31, 39),
    yellow: wrap(enabled, 33, 39),
    green: wrap(enabled, 32, 39),
    cyan: wrap(enabled, 36, 39),
    dim: wrap(enabled, 2, 22),
    bold: wrap(enabled, 1, 22),
  };
}

export function wantsColor(options: { color?: boolean }, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return options.color !== false && stream.isTTY === true && env['NO_COLOR'] === undefined && env['TERM'] !== 'dumb';
}

/**
 * Untrusted text (DNS records, server replies, certificate fields) is data:
 * control characters and bidirectional overrides are made visible (see
 * contract/text.ts, the one sanitiser the reports and the UI use too).
 */
export { visibleText as safe } from '../../contract/text';
