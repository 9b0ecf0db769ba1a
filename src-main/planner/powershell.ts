/**
 * PowerShell text for connectors.
 *
 * Every value goes into a single-quoted string, where PowerShell expands
 * nothing; the only special characters there are the single quotes, and
 * PowerShell treats the typographic ones (U+2018..U+201B) as quotes too, so
 * all of them are doubled. Line breaks and other control characters cannot be
 * written safely on one command line and are removed (the profile schema
 * already refuses them in names). Comment text gets the same treatment so an
 * imported or typed value cannot end a comment and start a command.
 */

const QUOTES = /['\u2018\u2019\u201A\u201B]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function psQuote(value: string): string {
  return `'${value.replace(CONTROL, ' ').replace(QUOTES, (q) => q + q)}'`;
}

/** Text safe after a `#` on one line. */
export function psComment(value: string): string {
  return value.replace(CONTROL, ' ');
}

export type PsValue = string | boolean | readonly string[];

export function psValue(value: PsValue): string {
  if (typeof value === 'boolean') return value ? '$true' : '$false';
  if (typeof value === 'string') return psQuote(value);
  return value.length === 0 ? '@()' : value.map(psQuote).join(',');
}

/**
 * `New-InboundConnector -Name '...' -Param value ...` on one line. An empty
 * list is left out, never written as `@()`: the cmdlets either refuse it or
 * read it as "clear this", which is never what a plan means.
 */
export function psCommand(cmdlet: string, name: string, parameters: Readonly<Record<string, PsValue>>): string {
  const args = Object.entries(parameters)
    .filter(([, value]) => !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => `-${key} ${psValue(value)}`);
  return [cmdlet, `-Name ${psQuote(name)}`, ...args].join(' ');
}

/**
 * Finds a connector by name, returning nothing when absent. It lists and
 * filters rather than asking `-Identity`: with `$ErrorActionPreference =
 * 'Stop'`, some versions of the Exchange Online module turn "not found" into
 * a terminating error despite `-ErrorAction SilentlyContinue`, which would
 * stop the script at the first connector it is meant to create.
 */
export function psExistsCheck(cmdlet: 'New-InboundConnector' | 'New-OutboundConnector', name: string): string {
  const get = cmdlet === 'New-InboundConnector' ? 'Get-InboundConnector' : 'Get-OutboundConnector';
  return `${get} | Where-Object { $_.Name -eq ${psQuote(name)} }`;
}

/**
 * The idempotent block: create the connector only when no connector of that
 * name exists, otherwise say so and leave it alone (safe to run twice).
 */
export function psCreateBlock(cmdlet: 'New-InboundConnector' | 'New-OutboundConnector', name: string, command: string): string {
  return [
    `if (-not (${psExistsCheck(cmdlet, name)})) {`,
    `    ${command}`,
    `} else {`,
    `    Write-Host (${psQuote('Connector {0} already exists; left unchanged.')} -f ${psQuote(name)})`,
    `}`,
  ].join('\n');
}

/** The byte order mark Windows PowerShell 5.1 needs to read a script as UTF-8. */
export const UTF8_BOM = '\uFEFF';

/**
 * The text of a `.ps1` file: the script with a UTF-8 byte order mark in
 * front, added exactly once. Every script the product writes (plan exports in
 * the app and the CLI, on standard output too, partner connector scripts)
 * goes through here.
 *
 * Why: Windows PowerShell 5.1 reads a script without a BOM in the ANSI code
 * page. There the UTF-8 bytes of "ő" (C5 91) contain 0x91, which Windows-1252
 * shows as U+2018, a character PowerShell takes as a single quote: a partner
 * named `Győr;Start-Process calc;ő` would close its quoted string and run a
 * command. With the BOM the file is read as UTF-8 and the name stays one
 * quoted value.
 */
export function powerShellFileText(script: string): string {
  return script.startsWith(UTF8_BOM) ? script : `${UTF8_BOM}${script}`;
}
