import type { Command } from 'commander';

/**
 * Every command of the CLI, loaded lazily so `--help`, `--version` and each
 * command start fast: main.ts registers a stub (name and summary) for every
 * command and imports only the module of the command being run (or asked
 * about with `<command> --help` / `help <command>`). In the built CLI each
 * `import()` here becomes its own chunk, so a command never loads another
 * command's engine (the planner does not load TLS, `--help` loads nothing).
 *
 * To add a command:
 *  1. write commands/<name>.ts exporting `register(program)` as usual: it
 *     defines the command, its options and its action, and may import what
 *     it needs at the top (that import happens only when the command runs);
 *  2. add one entry below: its name, the same description register() gives
 *     it (shown by the top-level --help; a test checks they match), and
 *     `load: () => import('./<name>')`.
 * A module that adds options to another command (check-probe adds the SMTP
 * options to check) is loaded together with it: `load` may return several.
 * Never import a command module statically from here or from main.ts.
 */
export interface CommandModule {
  readonly register: (program: Command) => void;
}

export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<CommandModule | readonly CommandModule[]>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'web', summary: 'open the app in your browser (serves it on 127.0.0.1 until you press Ctrl+C)', load: () => import('./web') },
  { name: 'report', summary: 'turn a saved JSON check report, probe report or plan into printable HTML or Markdown', load: () => import('./report') },
  { name: 'plan', summary: 'work out the Office 365 connectors an organisation needs, its mail flows, gaps and the PowerShell (offline)', load: () => import('./plan') },
  { name: 'check', summary: 'check a mail domain: MX, SPF, DMARC, DKIM, autodiscover, MTA-STS, TLS-RPT, DANE, reverse DNS', load: () => Promise.all([import('./check'), import('./check-probe')]) },
  { name: 'dns', summary: 'look up one DNS record, the way the checks see it', load: () => import('./dns') },
  { name: 'probe', summary: 'talk SMTP to one mail server (every address): stages, STARTTLS, TLS, certificate, DANE, Exchange Online connector predictions', load: () => import('./probe') },
  { name: 'spf', summary: 'evaluate SPF (RFC 7208 check_host) for a client address: result, path to the deciding term, lookups, explanation', load: () => import('./spf') },
  { name: 'partners', summary: 'check a list of partner domains for enforced TLS: readiness per TlsSettings, a message per partner, connectors for the ready ones', load: () => import('./partners') },
  { name: 'message', summary: 'trace one message from its headers: hops, delays and TLS, authentication, the connector Exchange Online used, and NDRs explained (offline)', load: () => import('./message') },
];
