import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram, commandNameIn, VERSION } from '../../src-main/cli/main';
import { commands } from '../../src-main/cli/commands/index';
import { runCli } from '../support/run-cli';

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('the command line', () => {
  it('is named mailflow-doctor and documents --debug and --version', async () => {
    const program = await buildProgram();
    expect(program.name()).toBe('mailflow-doctor');
    expect(program.helpInformation()).toContain('--debug');
    expect(program.helpInformation()).toContain('-V, --version');
  });

  it('prints the version from package.json for --version and -V', async () => {
    expect(VERSION).toBe(packageVersion);
    for (const flag of ['--version', '-V']) {
      const { code, out } = await runCli([flag]);
      expect(code).toBe(0);
      expect(out).toBe(`${packageVersion}\n`);
    }
  });

  it('finds the command argv names, also after help and options', () => {
    expect(commandNameIn(['--debug', 'plan', 'x.json'])).toBe('plan');
    expect(commandNameIn(['help', 'probe'])).toBe('probe');
    expect(commandNameIn(['--help'])).toBeUndefined();
  });
});

describe('lazy commands', () => {
  it('registers only stubs (no options) unless the command is named', async () => {
    const program = await buildProgram(['--help']);
    expect(program.commands.map((c) => c.name())).toEqual(commands.map((c) => c.name));
    expect(program.commands.every((c) => c.options.length === 0)).toBe(true);
    const probe = (await buildProgram(['probe', '127.0.0.1'])).commands.find((c) => c.name() === 'probe');
    expect(probe?.options.map((o) => o.long)).toContain('--transcript');
    // check-probe's SMTP options are loaded with check.
    const check = (await buildProgram(['check', 'contoso.com'])).commands.find((c) => c.name() === 'check');
    expect(check?.options.map((o) => o.long)).toContain('--no-probe');
  });

  it('gives each stub the description its command registers, in the same order', async () => {
    const full = await buildProgram([], { all: true });
    expect(full.commands.map((c) => [c.name(), c.description()])).toEqual(commands.map((c) => [c.name, c.summary]));
  });

  it('shows a command\'s own options for `help <command>` and `<command> --help`', async () => {
    for (const argv of [['help', 'plan'], ['plan', '--help']]) {
      const { code, out } = await runCli(argv);
      expect(code).toBe(0);
      expect(out).toContain('--existing <file>');
    }
  });

  it('refuses an unknown command with a suggestion', async () => {
    const { code, err } = await runCli(['plna']);
    expect(code).toBe(2);
    expect(err).toMatch(/unknown command 'plna'[\s\S]*plan/);
  });
});
