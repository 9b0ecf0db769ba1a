import type { ExchangeOnline, ExchangeServer, Hop } from '../../contract/message';
import type { HeaderField } from './input';
import { headerValue } from './input';
import { AUTH_AS_WORDS, CAT_WORDS, DIR_WORDS, EXCHANGE_BUILDS, EXCHANGE_HEADERS, EXCHANGE_SE_FIRST_BUILD, FROM_ENTITY_WORDS, IPV_WORDS, SFV_WORDS, bclWords, sclWords } from './reference';

/**
 * Exchange Online's own headers: how it took the message in (AuthAs,
 * AuthSource, the cross-tenant headers), whether it treated it as internal,
 * and its spam verdict (X-Forefront-Antispam-Report, X-Microsoft-Antispam,
 * the organisation SCL). And the Exchange Server builds in the path.
 */

/** `CIP:1.2.3.4;CTRY:NL;LANG:en;SCL:1;…` → fields; the value is everything after the first colon (IPv6 CIPs have colons). */
export function parseAntispamFields(value: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of value.split(';').slice(0, 100)) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const key = part.slice(0, colon).trim().toUpperCase();
    if (/^[A-Z][A-Z0-9-]{0,20}$/.test(key) && !(key in fields)) fields[key] = part.slice(colon + 1).trim();
  }
  return fields;
}

export function analyseExchangeOnline(headers: readonly HeaderField[], hops: readonly Hop[]): ExchangeOnline {
  const present = headers.some((h) => h.name.startsWith('x-ms-exchange-') || h.name.startsWith('x-forefront-') || h.name === EXCHANGE_HEADERS.microsoftAntispam);
  const crossTenant: Record<string, string> = {};
  for (const h of headers) {
    if (h.name.startsWith(EXCHANGE_HEADERS.crossTenantPrefix)) {
      const key = h.name.slice(EXCHANGE_HEADERS.crossTenantPrefix.length);
      if (!(key in crossTenant) && Object.keys(crossTenant).length < 30) crossTenant[key] = h.value.slice(0, 500);
    }
  }
  const authAs = headerValue(headers, EXCHANGE_HEADERS.authAs) ?? crossTenant['authas'];
  const authSource = headerValue(headers, EXCHANGE_HEADERS.authSource);
  const directionality = headerValue(headers, EXCHANGE_HEADERS.directionality);
  const antispam = parseAntispamFields(headerValue(headers, EXCHANGE_HEADERS.antispamReport) ?? '');
  const microsoftAntispam = parseAntispamFields(headerValue(headers, EXCHANGE_HEADERS.microsoftAntispam) ?? '');
  const sclText = headerValue(headers, EXCHANGE_HEADERS.scl) ?? antispam['SCL'];
  const scl = sclText !== undefined && /^-?\d{1,2}$/.test(sclText.trim()) ? Number(sclText.trim()) : undefined;
  const bclText = microsoftAntispam['BCL'];
  const bcl = bclText !== undefined && /^\d{1,2}$/.test(bclText) ? Number(bclText) : undefined;
  const fromEntity = crossTenant['fromentityheader']?.trim().toLowerCase();
  const auth = authAs?.trim().toLowerCase();

  const onPremExchange = hops.some((h) => h.zone !== 'microsoft' && h.exchangeBuild !== undefined);
  let attribution: ExchangeOnline['attribution'];
  if (auth === 'internal' && (fromEntity === 'hybridonprem' || (fromEntity !== 'hosted' && onPremExchange))) {
    attribution = { kind: 'own-server-connector', text: `Came in through an inbound connector from your own servers (type OnPremises): AuthAs Internal${fromEntity ? `, FromEntityHeader ${crossTenant['fromentityheader']}` : ''}${authSource ? `, authenticated by ${authSource}` : ''}.` };
  } else if (auth === 'internal') {
    attribution = { kind: 'internal', text: `Sent inside your organisation: AuthAs Internal${fromEntity ? `, FromEntityHeader ${crossTenant['fromentityheader']}` : ''} (${fromEntity === 'hosted' ? 'a mailbox in Exchange Online' : 'your own organisation'}).` };
  } else if (auth === 'partner') {
    attribution = { kind: 'partner-connector', text: `Came in through an inbound connector of type Partner: AuthAs Partner${authSource ? `, authenticated by ${authSource}` : ''}.` };
  } else if (auth === 'anonymous') {
    attribution = { kind: 'anonymous', text: `Arrived anonymously from the Internet: AuthAs Anonymous${fromEntity ? `, FromEntityHeader ${crossTenant['fromentityheader']}` : ''}. No inbound connector attributed it to your organisation.` };
  } else {
    attribution = { kind: 'unknown', text: present ? 'Exchange Online left no AuthAs header: how it took the message in is not recorded here.' : 'No Exchange Online headers: the message did not pass through Exchange Online, or they were removed.' };
  }
  const direction = directionality?.trim().toLowerCase();
  const treatedAs: ExchangeOnline['treatedAs'] =
    auth === 'internal' || direction === 'originating' || antispam['DIR'] === 'INT' ? 'internal' : auth === 'anonymous' || auth === 'partner' || direction === 'incoming' ? 'external' : 'unknown';

  const verdict: string[] = [];
  const explained: ExchangeOnline['explained'] = [];
  const explain = (field: string, value: string | undefined, text: string | undefined): void => {
    if (value === undefined || value === '' || text === undefined) return;
    explained.push({ field, value, text });
  };
  const sfv = antispam['SFV'];
  if (sfv) verdict.push(`Spam filter: ${SFV_WORDS[sfv] ?? `SFV:${sfv} (not a documented value)`}.`);
  if (scl !== undefined) verdict.push(`${sclWords(scl)}.`);
  const cat = antispam['CAT'];
  if (cat && cat !== 'NONE') verdict.push(`Category: ${CAT_WORDS[cat] ?? cat}.`);
  if (antispam['SRV'] === 'BULK') verdict.push('Identified as bulk mail.');
  if (bcl !== undefined) verdict.push(`${bclWords(bcl)}.`);
  if (antispam['IPV']) verdict.push(`Sending IP: ${IPV_WORDS[antispam['IPV']] ?? antispam['IPV']}.`);
  if (verdict.length === 0 && present) verdict.push('No spam verdict recorded.');

  explain('CIP', antispam['CIP'], 'the IP address that connected to Exchange Online');
  explain('CTRY', antispam['CTRY'], 'the country or region of the connecting IP');
  explain('H', antispam['H'], 'the HELO/EHLO name the connecting server gave');
  explain('PTR', antispam['PTR'], 'the reverse DNS name of the connecting IP');
  explain('DIR', antispam['DIR'], DIR_WORDS[antispam['DIR'] ?? ''] ? `direction: ${DIR_WORDS[antispam['DIR'] ?? '']}` : 'direction');
  explain('SFV', sfv, sfv ? SFV_WORDS[sfv] ?? 'not a documented value' : undefined);
  explain('IPV', antispam['IPV'], IPV_WORDS[antispam['IPV'] ?? ''] ?? 'IP reputation verdict');
  explain('SCL', antispam['SCL'], scl !== undefined ? sclWords(scl) : 'spam confidence level');
  explain('CAT', cat, cat ? CAT_WORDS[cat] ?? 'category' : undefined);
  explain('SFTY', antispam['SFTY'], 'phishing safety tip (9.19 domain impersonation, 9.20 user impersonation, 9.25 first contact)');
  explain('LANG', antispam['LANG'], 'the language of the message');
  explain('BCL', bclText, bcl !== undefined ? bclWords(bcl) : 'bulk complaint level');
  if (authAs) explain('AuthAs', authAs.trim(), AUTH_AS_WORDS[auth ?? ''] ?? 'not a documented value');
  if (fromEntity) explain('FromEntityHeader', crossTenant['fromentityheader'] ?? '', FROM_ENTITY_WORDS[fromEntity] ?? 'not a documented value');
  explain('CrossTenant-OriginalArrivalTime', crossTenant['originalarrivaltime'], 'when Exchange Online first accepted the message');
  explain('CrossTenant-Id', crossTenant['id'], 'the Microsoft 365 tenant (organisation) that took the message in');
  if (directionality) explain('MessageDirectionality', directionality, direction === 'incoming' ? 'received from outside the organisation' : direction === 'originating' ? 'sent from inside the organisation' : 'as stamped');

  return {
    present,
    ...(authAs ? { authAs: authAs.trim() } : {}),
    ...(authSource ? { authSource } : {}),
    ...(directionality ? { directionality } : {}),
    crossTenant,
    ...(scl !== undefined ? { scl } : {}),
    antispam,
    ...(bcl !== undefined ? { bcl } : {}),
    attribution,
    treatedAs,
    verdict,
    explained,
  };
}

/** An Exchange build (`15.2.1258.12`) named: product, update and support status. */
export function describeExchangeBuild(build: string, inMicrosoftDatacentre: boolean): Pick<ExchangeServer, 'product' | 'status' | 'text'> {
  const parts = build.split('.').map(Number);
  const [major = 0, minor = 0, third = 0] = parts;
  if (inMicrosoftDatacentre || (major === 15 && minor >= 20)) {
    return { product: 'Exchange Online (Microsoft 365)', status: 'service', text: `Exchange Online build ${build}: Microsoft’s service, kept up to date by Microsoft.` };
  }
  const majorMinor = `${major}.${minor}`;
  const row = EXCHANGE_BUILDS.filter((r) => r.majorMinor === majorMinor && r.build <= third).sort((a, b) => b.build - a.build)[0];
  if (major === 15 && minor === 2 && third >= EXCHANGE_SE_FIRST_BUILD) {
    return { product: 'Exchange Server Subscription Edition (SE)', status: 'current', text: `Exchange Server SE (build ${build}): a supported version; keep it on the latest cumulative and security update.` };
  }
  if (row) {
    const exact = row.build === third;
    return {
      product: `${row.product} ${row.update}`,
      status: 'out-of-support',
      text: `${row.product} ${row.update}${exact ? '' : ' or a later update of it'} (build ${build}): out of support. Exchange Online throttles, then blocks, mail it relays through an OnPremises connector (4.7.230 / 5.7.230). Move to Exchange Server SE.`,
    };
  }
  if (major === 14) return { product: 'Exchange Server 2010', status: 'out-of-support', text: `Exchange Server 2010 (build ${build}): out of support since October 2020.` };
  if (major === 8) return { product: 'Exchange Server 2007', status: 'out-of-support', text: `Exchange Server 2007 (build ${build}): out of support since April 2017.` };
  return { product: 'Exchange Server (unknown build)', status: 'unknown', text: `Build ${build} is not in the table of known Exchange builds.` };
}

export function exchangeServers(hops: readonly Hop[]): ExchangeServer[] {
  const seen = new Set<string>();
  const out: ExchangeServer[] = [];
  for (const hop of hops) {
    if (!hop.exchangeBuild) continue;
    const host = hop.by ?? '(unnamed server)';
    // Exchange Online stamps the same build on many of its servers: one line says it all.
    const key = hop.zone === 'microsoft' ? `microsoft|${hop.exchangeBuild}` : `${host.toLowerCase()}|${hop.exchangeBuild}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ host, build: hop.exchangeBuild, hop: hop.index, ...describeExchangeBuild(hop.exchangeBuild, hop.zone === 'microsoft') });
  }
  return out;
}
