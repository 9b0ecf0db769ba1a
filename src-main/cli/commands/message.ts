import type { Command } from 'commander';
import { InputError } from '../../contract/errors';
import { MESSAGE_LIMITS } from '../../contract/message';
import { analyzeMessage } from '../../engine/message/index';
import { buildPlan, parseProfile } from '../../planner/index';
import { decodeText, MAX_IMPORT_BYTES } from '../../planner/import';
import { EXIT } from '../errors';
import { renderMessageAnalysis } from '../format/message';
import { createStyle, wantsColor } from '../format/style';
import { readUserFile } from '../user-files';

/**
 * `mailflow-doctor message <file|-> [--profile <profile.json>] [--json]`
 *
 * Message trace, offline: an .eml, an Outlook .msg, pasted headers or an NDR
 * (a file, or standard input with `-`), analysed from its headers. With a
 * profile the message is put on that organisation's diagram and compared
 * with its plan. Exit 1 when a finding fails (e.g. it arrived anonymously
 * where a connector was expected, or an NDR says it failed), else 0.
 */
interface MessageOptions {
  readonly profile?: string;
  readonly json?: boolean;
  readonly color?: boolean;
}

/** Standard input, bounded: stops reading past the limit and says so. */
export async function readStdin(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    if (total > maxBytes) throw new InputError(`standard input: larger than ${maxBytes / 1024 / 1024} MB; paste the headers only`, '-');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function register(program: Command): void {
  program
    .command('message')
    .description('trace one message from its headers: hops, delays and TLS, authentication, the connector Exchange Online used, and NDRs explained (offline)')
    .argument('<file>', 'an .eml or Outlook .msg file, saved headers or an NDR; - reads standard input')
    .option('--profile <profile.json>', 'put the message on this organisation\'s diagram and compare it with its plan')
    .option('--json', 'print the analysis as JSON (the message:analyze schema)')
    .option('--no-color', 'plain output without colours')
    .action(async (file: string, options: MessageOptions) => {
      const bytes = file === '-' ? await readStdin(process.stdin, MESSAGE_LIMITS.inputBytes) : await readUserFile(file, MESSAGE_LIMITS.inputBytes);
      const profile = options.profile ? parseProfile(decodeText(options.profile, new Uint8Array(await readUserFile(options.profile, MAX_IMPORT_BYTES))), options.profile) : undefined;
      const analysis = await analyzeMessage(new Uint8Array(bytes), {
        ...(file !== '-' ? { fileName: file.split(/[\\/]/).pop() ?? file } : {}),
        ...(profile ? { profile, plan: buildPlan(profile) } : {}),
      });
      if (options.json) process.stdout.write(`${JSON.stringify(analysis, null, 2)}\n`);
      else process.stdout.write(renderMessageAnalysis(analysis, createStyle(wantsColor(options, process.stdout)), profile?.name));
      process.exitCode = analysis.flags.some((f) => f.severity === 'fail') ? EXIT.failFinding : EXIT.ok;
    });
}
