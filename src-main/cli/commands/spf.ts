import type { Command } from 'commander';
import { normalizeDomain } from '../../engine/dns/index';
import { checkHost, flattenSpf, parseSpfAddress, SPF_LIMITS, type FlattenedSpf, type SpfEvaluation } from '../../engine/spf/index';
import { EXIT, UsageError } from '../errors';
import { createStyle, safe, wantsColor, type Style } from '../format/style';
import { buildResolver, parseNetworkOptions, readCaFiles, withNetworkOptions, type DnsCommandOptions } from './check-deps';

/**
 * `mailflow-doctor spf <domain> --ip <address>`: RFC 7208 check_host() for
 * one client address, as a receiving server would run it, with the way to
 * the deciding mechanism, the lookups counted and the explanation.
 * Exit 0: pass; 1: any other result; 2: bad input.
 *
 * `--flatten` instead: the address ranges the domain's SPF authorises, for a
 * partner connector. Exit 0: every term flattened; 1: part of it could not be.
 */
interface SpfOptions extends DnsCommandOptions {
  readonly ip?: string;
  readonly flatten?: boolean;
  readonly sender?: string;
  readonly helo?: string;
  readonly caFile: readonly string[];
  readonly json?: boolean;
  readonly color?: boolean;
}

/** `--sender`: `local@domain`, `@domain` or empty (a bounce); no spaces or control characters. */
function checkSender(sender: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(sender)) throw new UsageError(`--sender ${JSON.stringify(sender)} contains spaces or control characters`);
  if (sender !== '' && !/^[^@]*@[^@]+$/.test(sender)) throw new UsageError(`--sender ${JSON.stringify(sender)} is not an address (local@domain, or "" for a bounce)`);
  return sender;
}

/** `--helo`: a name or an address literal as servers send it; no spaces or control characters. */
function checkHelo(helo: string): string {
  // eslint-disable-next-line no-control-regex
  if (helo === '' || helo.length > 255 || /[\s\x00-\x1f\x7f]/.test(helo)) throw new UsageError(`--helo ${JSON.stringify(helo)} is not a host name`);
  return helo;
}

function resultWords(result: SpfEvaluation['result'], style: Style): string {
  switch (result) {
    case 'pass': return style.green('pass');
    case 'fail': case 'permerror': return style.red(result);
    case 'temperror': case 'softfail': return style.yellow(result);
    default: return result;
  }
}

/** What each result means to the receiver, in a few words. */
const RESULT_MEANING: Readonly<Record<SpfEvaluation['result'], string>> = {
  pass: 'the domain authorises this address to send its mail',
  fail: 'the domain says this address must not send its mail',
  softfail: 'the domain says this address probably should not send its mail',
  neutral: 'the domain makes no statement about this address',
  none: 'the domain publishes no SPF record',
  permerror: 'the SPF record cannot be evaluated; receivers treat this permanent error as a fail or ignore SPF',
  temperror: 'a DNS lookup failed; receivers defer the mail (4xx) or try again later',
};

export function renderSpfEvaluation(e: SpfEvaluation, style: Style): string {
  const out = [
    `${style.bold(`SPF for ${safe(e.domain)}`)}: ${resultWords(e.result, style)}: ${RESULT_MEANING[e.result]}`,
    `  client ${e.ip}, sender ${safe(e.sender)}${e.helo ? `, HELO ${safe(e.helo)}` : ''}`,
    '',
    style.bold(e.result === 'permerror' || e.result === 'temperror' ? 'Path to where evaluation stopped' : 'Path to the deciding term'),
  ];
  if (e.path.length === 0) out.push(`  ${safe(e.domain)}: no record was evaluated`);
  e.path.forEach((step, i) => {
    const last = i === e.path.length - 1;
    const mark = e.result === 'permerror' || e.result === 'temperror' ? '  <- stopped here' : '  <- decided';
    out.push(`  ${'  '.repeat(i)}${safe(step.domain)}  ${last ? style.bold(safe(step.term)) : safe(step.term)}${last ? style.dim(mark) : ''}`);
  });
  out.push('', `${style.bold('Why')}: ${safe(e.reason)}`);
  out.push(`${style.bold('Lookups')}: ${e.lookups} of ${SPF_LIMITS.dnsMechanisms} DNS-querying terms, ${e.voidLookups} of ${SPF_LIMITS.voidLookups} void lookups (${e.queries} DNS queries in all)`);
  if (e.explanation !== undefined) out.push(`${style.bold('Explanation')} (exp=): ${safe(e.explanation)}`);
  return `${out.join('\n')}\n`;
}

export function renderFlattenedSpf(f: FlattenedSpf, style: Style): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const out = [
    `${style.bold(`SPF of ${safe(f.domain)}, flattened`)}: ${plural(f.ipv4.length, 'IPv4 range')}, ${plural(f.ipv6.length, 'IPv6 range')} (${f.lookups} DNS-querying terms)`,
  ];
  for (const [title, ranges] of [['IPv4', f.ipv4], ['IPv6', f.ipv6]] as const) {
    out.push('', style.bold(title));
    if (ranges.length === 0) out.push('  (none)');
    const width = Math.max(0, ...ranges.map((r) => r.range.length));
    for (const r of ranges) out.push(`  ${r.range.padEnd(width)}  ${style.dim(safe(r.via.join(' -> ')))}`);
  }
  if (f.notFlattened.length > 0) {
    out.push('', style.bold(style.yellow('Not flattened (these senders are not in the ranges above)')));
    for (const n of f.notFlattened) out.push(`  ${safe(n.domain)}  ${safe(n.term)}: ${safe(n.reason)}`);
  }
  out.push('', style.bold('For an inbound partner connector (SenderIPAddresses: IPv4, masks /24 to /32)'));
  out.push(f.connector.senderIpAddresses.length > 0 ? `  ${f.connector.senderIpAddresses.join(', ')}` : '  (no range fits)');
  for (const u of f.connector.unusable) out.push(`  ${style.yellow('not usable')} ${u.range}: ${u.reason}`);
  return `${out.join('\n')}\n`;
}

export function register(program: Command): void {
  withNetworkOptions(
    program
      .command('spf')
      .description('evaluate SPF (RFC 7208 check_host) for a client address: result, path to the deciding term, lookups, explanation')
      .argument('<domain>', 'the domain whose SPF is checked (normally the MAIL FROM domain), e.g. contoso.com; an address (bob@contoso.com) is also the sender'),
    { dnsServer: 'ask this DNS server, e.g. 1.1.1.1, 127.0.0.1:5300 (repeatable; default: the system\'s)', timeout: 'deadline of each DNS exchange', caFile: 'extra trusted CA certificates (PEM) for the DoH server (repeatable)' },
  )
    .option('--ip <address>', 'the sending server\'s address (IPv4 or IPv6)')
    .option('--flatten', 'instead of --ip: list the address ranges the SPF authorises (for a partner connector\'s SenderIPAddresses)')
    .option('--sender <address>', 'the MAIL FROM address (default postmaster@<domain>; "" for a bounce)')
    .option('--helo <name>', 'the HELO/EHLO name the server gives (default <domain>)')
    .option('--json', 'print the evaluation as JSON')
    .option('--no-color', 'plain output without colours')
    .action(async (domainArg: string, options: SpfOptions) => {
      const domain = normalizeDomain(domainArg).ascii;
      if (options.flatten) {
        if (options.ip !== undefined || options.sender !== undefined || options.helo !== undefined) throw new UsageError('--flatten lists what the SPF authorises; it takes no --ip, --sender or --helo');
        const settings = parseNetworkOptions(options);
        const flat = await flattenSpf(domain, { resolver: buildResolver(settings, await readCaFiles(settings.caFiles)) });
        if (options.json) process.stdout.write(`${JSON.stringify(flat, null, 2)}\n`);
        else process.stdout.write(renderFlattenedSpf(flat, createStyle(wantsColor(options, process.stdout))));
        process.exitCode = flat.complete && flat.ipv4.length + flat.ipv6.length > 0 ? EXIT.ok : EXIT.failFinding;
        return;
      }
      if (options.ip === undefined) throw new UsageError('give --ip <address> (the sending server) to evaluate SPF, or --flatten to list the ranges it authorises');
      const ip = options.ip.trim();
      if (!parseSpfAddress(ip)) throw new UsageError(`--ip ${JSON.stringify(ip)} is not an IPv4 or IPv6 address`);
      const addressArg = domainArg.trim().includes('@') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(domainArg.trim()) ? domainArg.trim() : undefined;
      const sender = options.sender !== undefined ? checkSender(options.sender.trim()) : addressArg !== undefined ? checkSender(addressArg) : `postmaster@${domain}`;
      const helo = options.helo === undefined ? domain : checkHelo(options.helo.trim());
      const settings = parseNetworkOptions(options);
      const resolver = buildResolver(settings, await readCaFiles(settings.caFiles));
      const evaluation = await checkHost({ ip, domain, sender, helo }, { resolver });
      if (options.json) process.stdout.write(`${JSON.stringify(evaluation, null, 2)}\n`);
      else process.stdout.write(renderSpfEvaluation(evaluation, createStyle(wantsColor(options, process.stdout))));
      process.exitCode = evaluation.result === 'pass' ? EXIT.ok : EXIT.failFinding;
    });
}
