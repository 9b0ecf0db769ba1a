/**
 * The `mailflow-doctor` command line.
 *
 * Each command lives in its own file under commands/ and registers itself on
 * the program; this file only wires them up and turns errors into one line
 * and an exit code (never a stack trace, unless --debug). Commands are loaded
 * lazily (commands/index.ts): only the one being run is imported, so keep
 * this file's imports light (no engine, planner or contract schemas).
 */
import { Command, CommanderError } from 'commander';
import { EXIT, UsageError } from './errors';
import { commands, type CommandEntry } from './commands/index';
import { InputError } from '../contract/errors';
import { visibleText } from '../contract/text';
import packageJson from '../../package.json' with { type: 'json' };

/** The version users see in `--version`: package.json's, bundled into the built command. */
export const VERSION: string = packageJson.version;

/**
 * The command named in `argv` (`help <command>` names it too): the first
 * word that is not an option, since the program's own options take no value.
 */
export function commandNameIn(argv: readonly string[]): string | undefined {
  const words = argv.filter((arg) => !arg.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

async function registerEntry(program: Command, entry: CommandEntry): Promise<void> {
  const loaded = await entry.load();
  for (const module of Array.isArray(loaded) ? loaded : [loaded]) module.register(program);
}

/**
 * The program with the command `argv` names fully registered and every other
 * command as a stub (name and summary, for --help and "did you mean").
 * `{ all: true }` loads every command (tests, generated docs).
 */
export async function buildProgram(argv: readonly string[] = [], options: { readonly all?: boolean } = {}): Promise<Command> {
  const program = new Command('mailflow-doctor')
    .description('Plan and troubleshoot mail flow between Office 365, your own mail servers, partners and devices.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--debug', 'show internal details (stack traces) when something goes wrong')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const wanted = commandNameIn(argv);
  for (const entry of commands) {
    if (options.all || entry.name === wanted) await registerEntry(program, entry);
    else program.command(entry.name).description(entry.summary);
  }
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const program = await buildProgram(argv);
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are "errors" to commander; they already printed.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof UsageError || error instanceof InputError) {
      // Messages quote what the user gave (file contents included): shown, never obeyed by the terminal.
      process.stderr.write(`mailflow-doctor: ${visibleText(error.message)}\n`);
      return EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`mailflow-doctor: internal error: ${visibleText(message)}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write('Run again with --debug for details.\n');
    return EXIT.internal;
  }
}
