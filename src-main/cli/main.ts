/**
 * The `mailflow-doctor` command line.
 *
 * Each command lives in its own file under commands/ and registers itself on
 * the program; this file only wires them up and turns errors into one line
 * and an exit code (never a stack trace, unless --debug).
 */
import { Command, CommanderError } from 'commander';
import { EXIT, UsageError } from './errors';
import { commands } from './commands/index';
import { InputError } from '../contract/errors';
import { visibleText } from '../contract/text';

export function buildProgram(): Command {
  const program = new Command('mailflow-doctor')
    .description('Plan and troubleshoot mail flow between Office 365, your own mail servers, partners and devices.')
    .option('--debug', 'show internal details (stack traces) when something goes wrong')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
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
