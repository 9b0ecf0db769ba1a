import { formatSeconds } from '../../contract/message';
import type { MessageAnalysis, MessageFlag, MessageNote } from '../../contract/message';
import type { Plan, Profile } from '../../contract/planner';
import { analyseAuthentication } from './auth';
import { analyseExchangeOnline, exchangeServers } from './exchange';
import { buildHops, groupHops } from './hops';
import { decodeWords, readMessage } from './input';
import type { HeaderField } from './input';
import { decodeNdr } from './ndr';
import { boundaryHops, mapPath, ownServerMatcher } from './path';

/**
 * Message trace (issue 13): one message, its headers or a non-delivery
 * report in; hops, authentication, Exchange Online's verdict, Exchange
 * builds, the NDR explained, and (with a profile and its plan) the path on
 * the John/Bob/Sun diagram with the places where reality differs from the
 * plan. Pure: bytes and plain data in, plain data out; no network, no files.
 */
export { readMessage } from './input';
export { parseReceived, parseMailDate } from './received';
export { lookupCode } from './ndr';
export { describeExchangeBuild } from './exchange';
export { compauthReason } from './auth';

export interface AnalyseOptions {
  readonly fileName?: string;
  /** The organisation, to put the message on its diagram. */
  readonly profile?: Profile;
  /** The planner's plan for that profile (its flows and connectors). */
  readonly plan?: Plan;
}

export async function analyzeMessage(bytes: Uint8Array, options: AnalyseOptions = {}): Promise<MessageAnalysis> {
  const message = await readMessage(bytes, options.fileName);
  const notes: MessageNote[] = [...message.notes];
  const ndr = await decodeNdr(message, options.profile);
  // For a report, the original message's headers tell how the failed message travelled.
  const useOriginal = ndr !== undefined && (message.originalHeaders?.length ?? 0) > 0;
  const headers: readonly HeaderField[] = useOriginal ? message.originalHeaders! : message.headers;
  if (useOriginal) notes.push({ severity: 'info', message: 'This is a non-delivery report: the hops, authentication and Exchange Online headers shown are those of the original message it returns.' });
  if (headers.length === 0 && !ndr) {
    notes.push({ severity: 'warn', message: 'No message headers were found: paste the full headers (in Outlook: File > Properties > Internet headers) or drop the .eml / .msg file.' });
  }
  const hops = buildHops(headers, notes, { isOwnServer: ownServerMatcher(options.profile) });
  if (headers.length > 0 && hops.length === 0) notes.push({ severity: 'info', message: 'The headers have no Received: fields, so there are no hops to show (a message that was never sent, or headers cut short).' });
  const authentication = analyseAuthentication(headers);
  const exchange = analyseExchangeOnline(headers, hops);
  const servers = exchangeServers(hops);
  const flags: MessageFlag[] = [];

  const field = (name: string) => headers.find((h) => h.name === name)?.value;
  const subject = useOriginal ? field('subject') : message.subject ?? field('subject');
  const from = useOriginal ? addressIn(field('from')) : message.from ?? addressIn(field('from'));
  const to = useOriginal ? addressesIn(field('to')) : message.to.length > 0 ? [...message.to] : addressesIn(field('to'));

  let path: MessageAnalysis['path'];
  if (options.profile && hops.length > 0) {
    const mapped = mapPath({ hops, exchange, ...(from ? { from } : {}), to }, options.profile, options.plan);
    path = mapped.path;
    flags.push(...mapped.flags);
  }
  flags.push(...generalFlags(hops, exchange, servers, authentication, flags));
  if (ndr?.explanation) {
    flags.unshift({ severity: ndr.status?.startsWith('4') ? 'warn' : 'fail', code: `NDR_${ndr.explanation.code.replace(/\./g, '_')}`, message: `${ndr.explanation.code} ${ndr.explanation.title}: ${ndr.explanation.meaning}`, fix: ndr.explanation.fix });
  }
  const times = hops.map((h) => h.time).filter((t): t is string => t !== undefined);
  const totalSeconds = times.length >= 2 ? hops.reduce((sum, h) => sum + (h.delaySeconds ?? 0), 0) : undefined;

  return {
    source: { kind: message.kind, ...(options.fileName ? { fileName: options.fileName } : {}), bytes: message.bytes },
    ...(subject ? { subject: decodeWords(subject) } : {}),
    ...(from ? { from } : {}),
    to,
    ...(message.date && !useOriginal ? { date: message.date } : {}),
    ...(message.messageId && !useOriginal ? { messageId: message.messageId } : {}),
    notes,
    hops,
    hopGroups: groupHops(hops),
    ...(totalSeconds !== undefined ? { totalSeconds } : {}),
    authentication,
    exchange,
    exchangeServers: servers,
    ...(ndr ? { ndr } : {}),
    ...(path ? { path } : {}),
    flags,
  };
}

function addressIn(value: string | undefined): string | undefined {
  return value ? /[^\s<>"]+@[^\s<>",;]+/.exec(decodeWords(value))?.[0] : undefined;
}

function addressesIn(value: string | undefined): string[] {
  return value ? [...decodeWords(value).matchAll(/[^\s<>",;]+@[^\s<>",;]+/g)].map((m) => m[0]).slice(0, 50) : [];
}

/** Problems worth a flag with or without a profile: no TLS between organisations, old Exchange relaying to Office 365, failed authentication, spam. */
function generalFlags(hops: MessageAnalysis['hops'], exchange: MessageAnalysis['exchange'], servers: MessageAnalysis['exchangeServers'], auth: MessageAnalysis['authentication'], already: readonly MessageFlag[]): MessageFlag[] {
  const flags: MessageFlag[] = [];
  const has = (code: string) => already.some((f) => f.code === code);
  const { entry, exit } = boundaryHops(hops);
  for (const hop of [entry, exit]) {
    if (hop && hop.encryption.state === 'none' && !has('HOP_WITHOUT_TLS')) {
      flags.push({ severity: 'warn', code: 'HOP_WITHOUT_TLS', message: `Hop ${hop.index} (${hop.from ?? '?'} → ${hop.by ?? '?'}) crossed into or out of Microsoft 365 without TLS.`, fix: 'Enable STARTTLS on the server at the other end; require TLS on the connector if the partner or server must always use it.' });
    }
  }
  const firstMicrosoft = hops.findIndex((h) => h.zone === 'microsoft');
  for (const server of servers) {
    if (server.status !== 'out-of-support') continue;
    const relays = firstMicrosoft >= 0 && server.hop - 1 < firstMicrosoft;
    flags.push({
      severity: relays ? 'fail' : 'warn',
      code: 'EXCHANGE_OUT_OF_SUPPORT',
      message: relays
        ? `${server.host} runs ${server.product} (build ${server.build}), out of support, and relays this mail to Exchange Online: over an OnPremises connector it is throttled (450 4.7.230) and then blocked (550 5.7.230).`
        : `${server.host} runs ${server.product} (build ${server.build}), which is out of support.`,
      fix: 'Update to Exchange Server SE with its latest update. Report: EAC > Reports > Mail flow > Out-of-date connecting on-premises Exchange servers (Get-OnPremServerReportInfo); a pause of at most 90 days a year: New-TenantExemptionInfo -BlockingScenario UnpatchedOnPremServer -NumberOfDays 90.',
    });
  }
  const onPremBeforeMicrosoft = firstMicrosoft > 0 && hops.slice(0, firstMicrosoft).some((h) => h.exchangeBuild !== undefined || h.zone === 'own-server');
  if (exchange.attribution.kind === 'anonymous' && onPremBeforeMicrosoft && !has('ARRIVED_ANONYMOUSLY')) {
    flags.push({ severity: 'warn', code: 'ARRIVED_ANONYMOUSLY', message: 'An on-premises server relayed this message, but Exchange Online took it in anonymously: no inbound connector of type OnPremises matched it.', fix: 'Create or fix the inbound connector from your server (certificate name or public IP) so its mail is attributed to your organisation.' });
  }
  const newest = auth.headers.find((h) => h.header === 'Authentication-Results');
  for (const method of newest?.methods ?? []) {
    if ((method.method === 'compauth' || method.method === 'dmarc') && method.verdict === 'fail') {
      flags.push({ severity: 'warn', code: method.method === 'compauth' ? 'COMPAUTH_FAILED' : 'DMARC_FAILED', message: `${method.text}.` });
    }
  }
  const sfv = exchange.antispam['SFV'];
  if ((exchange.scl !== undefined && exchange.scl >= 5) || sfv === 'SPM' || sfv === 'SKS' || sfv === 'SKB' || sfv === 'BLK') {
    flags.push({ severity: 'warn', code: 'MARKED_AS_SPAM', message: `Exchange Online treated it as spam: ${exchange.verdict.join(' ')}` });
  }
  const skewed = hops.filter((h) => h.clockSkew);
  if (skewed.length > 0) {
    flags.push({ severity: 'info', code: 'CLOCK_SKEW', message: `The clock of ${skewed.map((h) => h.by ?? `hop ${h.index}`).join(', ')} is behind the previous server's by ${skewed.map((h) => formatSeconds(h.skewSeconds ?? 0)).join(', ')}: delays there are not reliable.` });
  }
  return flags;
}
