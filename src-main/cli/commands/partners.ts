import type { Command } from 'commander';
import { PARTNER_LIMITS, type PartnerEntry, type PartnerResult, type PartnerRunSummary } from '../../contract/partners';
import { systemClock } from '../../engine/clock';
import { parsePartnerList } from '../../engine/partners/import';
import { runPartners } from '../../engine/partners/run';
import { timeoutsFromStep } from '../../engine/smtp/index';
import { profilePartnerOf } from '../../planner/partner-profile';
import { partnerScriptBlock, partnerScriptHead } from '../../planner/partner-script';
import { composePartnerMessage } from '../../report/partner-message';
import {
  partnerCsvHeader, partnerCsvRow, partnerHtmlFoot, partnerHtmlHead, partnerHtmlSection, partnerJsonLine,
  partnerMarkdownHead, partnerMarkdownSection, type ReportMeta,
} from '../../report/partners';
import { choice } from '../choice';
import { EXIT, UsageError } from '../errors';
import { rehearsalSubjects } from '../../engine/partners/assess';
import { createProgressDisplay, partnerSummaryLines, partnerTableHeader, partnerTableRow } from '../format/partners';
import { createStyle, safe, wantsColor } from '../format/style';
import { PartnerResultSpill, writeAtomically } from '../partner-results';
import { readUserFile } from '../user-files';
import { defaultStoreDir } from '../../store/default-dir';
import { openPartnerRegister } from '../../store/partner-register';
import { buildResolver, collect, parseNetworkOptions, readCaFiles, withNetworkOptions } from './check-deps';

/**
 * `mailflow-doctor partners <file.csv|-> [--concurrency N] [--format ...] [--out F] [--since-days N]`:
 * the partner TLS onboarding workbench on the command line. Reads the list,
 * checks every partner (shared MX probes), writes the chosen output.
 *
 * Exit 0: every partner ready and no certificate expires within the window;
 * 1: a partner is not ready, unreachable or takes no mail, a certificate
 * expires within the window, or the run stopped early (interrupted, port 25
 * blocked); 2: bad input.
 */
const FORMATS = ['table', 'json', 'jsonl', 'csv', 'md', 'html', 'ps1', 'profile'] as const;
type Format = (typeof FORMATS)[number];

export interface PartnersCommandOptions {
  readonly dnsServer: readonly string[];
  readonly doh?: string;
  readonly timeout: string;
  readonly caFile: readonly string[];
  readonly publicCa: readonly string[];
  readonly helo?: string;
  readonly port: string;
  readonly concurrency: string;
  readonly format: string;
  readonly out?: string;
  readonly sinceDays?: string;
  readonly expiryDays: string;
  readonly register?: boolean;
  readonly color?: boolean;
}

function integerOption(flag: string, text: string, min: number, max: number): number {
  const n = /^\d{1,6}$/.test(text.trim()) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`);
  return n;
}

async function readList(file: string): Promise<{ text: string; name: string }> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size > PARTNER_LIMITS.importBytes) throw new UsageError(`standard input: more than ${PARTNER_LIMITS.importBytes / 1024 / 1024} MB; split the list`);
      chunks.push(buffer);
    }
    return { text: Buffer.concat(chunks).toString('utf8'), name: 'stdin' };
  }
  return { text: (await readUserFile(file, PARTNER_LIMITS.importBytes)).toString('utf8'), name: file };
}

export async function runPartnersCommand(file: string, options: PartnersCommandOptions, io: {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly signal?: AbortSignal;
} = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const format: Format = choice('--format', options.format, FORMATS);
  const concurrency = integerOption('--concurrency', options.concurrency, 1, PARTNER_LIMITS.maxConcurrency);
  const expiryDays = integerOption('--expiry-days', options.expiryDays, 0, 3650);
  const sinceDays = options.sinceDays === undefined ? undefined : integerOption('--since-days', options.sinceDays, 0, 3650);
  const port = integerOption('--port', options.port, 1, 65535);
  const settings = parseNetworkOptions(options);
  const timeoutMs = settings.timeoutSeconds * 1000;
  const caCertificates = await readCaFiles(settings.caFiles);
  const publicCa = await readCaFiles(settings.publicCaFiles, '--public-ca');
  const rehearsalAnchors = rehearsalSubjects(publicCa);
  buildResolver(settings, caCertificates); // bad --dns-server / --doh: exit 2 before reading the list

  const { text, name } = await readList(file);
  const list = parsePartnerList(text, { fileName: name });
  const errorStyle = createStyle(wantsColor(options, io.stderr));
  for (const warning of list.warnings) io.stderr.write(`${errorStyle.yellow('warning')}: ${safe(warning)}\n`);
  for (const r of list.rejected) io.stderr.write(`${name}: line ${r.line}: ${safe(r.reason)}\n`);
  if (list.rejectedNotListed > 0) io.stderr.write(`${name}: ${list.rejectedNotListed} more line(s) rejected\n`);
  if (list.partners.length === 0) throw new UsageError(`${name}: no partner domain in the list`);
  let partners: readonly PartnerEntry[] = list.partners;
  // --since-days reads the register, so it records there too.
  const register = options.register || sinceDays !== undefined ? openPartnerRegister(defaultStoreDir()) : undefined;
  for (const notice of register?.takeNotices() ?? []) io.stderr.write(`${errorStyle.yellow('warning')}: ${notice}\n`);
  if (register && sinceDays !== undefined) {
    const due = new Set(register.dueSince(sinceDays, systemClock.now()).map((p) => p.domain));
    partners = partners.filter((p) => due.has(p.domain) || !register.get(p.domain));
    io.stderr.write(`${partners.length} of ${list.partners.length} partner(s) not checked for ${sinceDays} day(s).\n`);
  }
  register?.upsert(partners);

  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  io.signal?.addEventListener('abort', onSigint, { once: true });
  const progress = createProgressDisplay(io.stderr, errorStyle);
  const spill = await PartnerResultSpill.create();
  const order = new Map(partners.map((p, i) => [p.domain, i]));
  let summary: PartnerRunSummary;
  try {
    summary = await runPartners(partners, {
      newResolver: () => buildResolver(settings, caCertificates),
      clock: systemClock,
      port,
      concurrency,
      expiryWindowDays: expiryDays,
      ...(rehearsalAnchors.length > 0 ? { rehearsalAnchors } : {}),
      probe: {
        timeouts: timeoutsFromStep(timeoutMs),
        trust: [...caCertificates, ...publicCa],
        clock: systemClock,
        ...(settings.heloName ? { heloName: settings.heloName } : {}),
      },
      compose: composePartnerMessage,
      signal: controller.signal,
      onResult: (result) => spill.add(result, order.get(result.domain) ?? 0),
      onProgress: (p) => progress.update(p),
    });
    progress.finish();
    if (register) {
      // In batches: the register keeps small records, the spill holds the full answers.
      let batch: PartnerResult[] = [];
      for await (const r of spill.ordered()) {
        batch.push(r);
        if (batch.length === 500) { register.record(batch); batch = []; }
      }
      register.record(batch);
      io.stderr.write(`Recorded in the partner register (${register.path}).\n`);
    }
    const meta: ReportMeta = {
      generatedAt: new Date(systemClock.now()),
      ...(rehearsalAnchors.length > 0 ? { rehearsal: `certificates issued by ${rehearsalAnchors.join('; ')} were treated as if Exchange Online trusted them (--public-ca). Real partners need a public CA.` } : {}),
    };
    const style = createStyle(wantsColor(options, io.stdout) && options.out === undefined);
    const render = async (chunk: (text: string) => Promise<void> | void): Promise<void> => {
      switch (format) {
        case 'table':
          await chunk(partnerTableHeader(style));
          for await (const r of spill.ordered()) await chunk(partnerTableRow(r, style));
          await chunk(partnerSummaryLines(summary, style));
          return;
        case 'jsonl':
          for await (const r of spill.ordered()) await chunk(partnerJsonLine(r));
          return;
        case 'json': {
          await chunk(`{\n"summary": ${JSON.stringify(summary)},\n"partners": [\n`);
          let first = true;
          for await (const r of spill.ordered()) {
            await chunk(`${first ? '' : ',\n'}${JSON.stringify(r)}`);
            first = false;
          }
          await chunk('\n]\n}\n');
          return;
        }
        case 'csv':
          await chunk(partnerCsvHeader());
          for await (const r of spill.ordered()) await chunk(partnerCsvRow(r));
          return;
        case 'md':
          await chunk(partnerMarkdownHead(summary, meta));
          for await (const r of spill.ordered()) await chunk(partnerMarkdownSection(r));
          return;
        case 'html': {
          const expiring = [];
          for await (const r of spill.ordered((_s, days) => days !== null && days <= expiryDays)) expiring.push({ ...r, mx: [], message: null });
          await chunk(partnerHtmlHead(summary, meta, expiring));
          for await (const r of spill.ordered()) await chunk(partnerHtmlSection(r));
          await chunk(partnerHtmlFoot());
          return;
        }
        case 'ps1':
          await chunk(partnerScriptHead(spill.count, meta.generatedAt));
          for await (const r of spill.ordered()) await chunk(partnerScriptBlock(r));
          return;
        case 'profile': {
          // The "partners" of a planner profile: the ready partners with the settings that were verified.
          await chunk('{\n"partners": [\n');
          let first = true;
          for await (const r of spill.ordered()) {
            const partner = profilePartnerOf(r);
            if (!partner) continue;
            await chunk(`${first ? '' : ',\n'}${JSON.stringify(partner)}`);
            first = false;
          }
          await chunk('\n]\n}\n');
          return;
        }
      }
    };
    if (options.out) {
      const target = options.out;
      // UTF-8 with BOM for Windows PowerShell 5.1.
      await writeAtomically(target, async (write) => { if (format === 'ps1') await write('\uFEFF'); await render(write); });
      io.stderr.write(`Wrote ${format} for ${spill.count} partner(s) to ${target}.\n`);
      if (format !== 'table') io.stderr.write(partnerSummaryLines(summary, errorStyle));
    } else {
      await render((text) => { io.stdout.write(text); });
      if (format !== 'table') io.stderr.write(partnerSummaryLines(summary, errorStyle));
    }
  } finally {
    process.off('SIGINT', onSigint);
    await spill.dispose();
  }
  const notReady = summary.counts['not-ready'] + summary.counts.unreachable + summary.counts['no-mail'];
  return notReady > 0 || summary.expiringSoon > 0 || summary.cancelled || summary.stoppedBecause !== undefined ? EXIT.failFinding : EXIT.ok;
}

export function register(program: Command): void {
  withNetworkOptions(
    program
      .command('partners')
      .description('check a list of partner domains for enforced TLS: readiness per TlsSettings, a message per partner, connectors for the ready ones')
      .argument('<file>', 'the partner list: a CSV (domain,name,tlsDomain,direction,contact,notes; header optional) or one domain per line; - reads standard input'),
    { dnsServer: 'ask this DNS server, e.g. 1.1.1.1, 127.0.0.1:5300 (repeatable; default: the system\'s)', timeout: 'deadline of each network step', caFile: 'extra trusted CA certificates (PEM) for private CAs; a chain ending there is still untrusted by Exchange Online (repeatable)' },
  )
    .option('--public-ca <file>', 'rehearsal: treat these CA certificates (PEM) as if Exchange Online trusted them, e.g. a lab CA (repeatable)', collect, [] as string[])
    .option('--helo <name>', "the name to send in EHLO (default: this computer's name if it is a full domain name)")
    .option('--port <port>', 'SMTP port of the MX hosts (25; another port only for a lab)', '25')
    .option('--concurrency <n>', `partners checked and connections made at once (1-${PARTNER_LIMITS.maxConcurrency}; at most 2 connections per address)`, '16')
    .option('--format <format>', `output: ${FORMATS.join(', ')}`, 'table')
    .option('--out <file>', 'write the output to this file (written to a temporary file, then renamed)')
    .option('--register', 'record the answers in the partner register (the app\'s Partners screen; in the store folder)')
    .option('--since-days <n>', 'only partners not checked for this many days by the register (implies --register)')
    .option('--expiry-days <n>', 'certificates expiring within this many days make the exit code 1', '30')
    .option('--no-color', 'plain output without colours')
    .action(async (file: string, options: PartnersCommandOptions) => {
      process.exitCode = await runPartnersCommand(file, options);
    });
}
