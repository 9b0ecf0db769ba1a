import { isIP } from 'node:net';
import type { Command } from 'commander';
import { RecordTypeSchema, type RecordType } from '../../contract/dns';
import { normalizeDomain } from '../../engine/dns/index';
import { reverseName } from '../../engine/checks/host';
import { EXIT, UsageError } from '../errors';
import { renderDnsAnswer } from '../format/report';
import { createStyle, wantsColor } from '../format/style';
import { buildEngineContext, parseNetworkOptions, readCaFiles, withNetworkOptions, type DnsCommandOptions } from './check-deps';

/**
 * `mailflow-doctor dns <name> [type]`: one lookup through the same resolver
 * the checks use (deadline, TCP after truncation, CNAME following).
 * Exit 0: records found; 1: no records or the resolver failed; 2: bad input.
 */
interface DnsOptions extends DnsCommandOptions {
  readonly caFile: readonly string[];
  readonly json?: boolean;
  readonly color?: boolean;
}

/** An IP address becomes its reverse name (PTR); underscores are fine (_dmarc, _mta-sts). */
export function queryName(input: string, type: RecordType): string {
  const trimmed = input.trim();
  if (isIP(trimmed) !== 0) {
    if (type !== 'PTR') throw new UsageError(`"${trimmed}" is an IP address; use type PTR to look up its name`);
    return reverseName(trimmed);
  }
  return normalizeDomain(trimmed).ascii;
}

export function register(program: Command): void {
  withNetworkOptions(
    program
      .command('dns')
      .description('look up one DNS record, the way the checks see it')
      .argument('<name>', 'a name (contoso.com, _dmarc.contoso.com) or an IP address for PTR')
      .argument('[type]', `record type: ${RecordTypeSchema.options.join(', ')} (default A; PTR for an IP address)`),
    { dnsServer: 'ask this DNS server, e.g. 1.1.1.1, 127.0.0.1:5300 (repeatable)', timeout: 'deadline of each exchange', caFile: 'extra trusted CA certificates (PEM) for the DoH server (repeatable)' },
  )
    .option('--json', 'print the answer as JSON')
    .option('--no-color', 'plain output without colours')
    .action(async (nameArg: string, typeArg: string | undefined, options: DnsOptions) => {
      const defaultType = isIP(nameArg.trim()) !== 0 ? 'PTR' : 'A';
      const parsedType = RecordTypeSchema.safeParse((typeArg ?? defaultType).toUpperCase());
      if (!parsedType.success) throw new UsageError(`record type "${typeArg}" is not one of ${RecordTypeSchema.options.join(', ')}`);
      const name = queryName(nameArg, parsedType.data);
      const settings = parseNetworkOptions(options);
      const answer = await buildEngineContext(settings, await readCaFiles(settings.caFiles)).resolver.query(name, parsedType.data);
      if (options.json) process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      else process.stdout.write(renderDnsAnswer(answer, createStyle(wantsColor(options, process.stdout))));
      process.exitCode = answer.outcome === 'answer' ? EXIT.ok : EXIT.failFinding;
    });
}
