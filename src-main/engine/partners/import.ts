import { InputError } from '../../contract/errors';
import { PARTNER_LIMITS, type ImportRejection, type PartnerDirection, type PartnerEntry, type PartnerImport } from '../../contract/partners';
import type { Profile } from '../../contract/planner';
import { certificateNameRule, quoteValue, toAsciiName } from '../../contract/rules';
import { normalizeDomain } from '../dns/domain';

/**
 * The partner list, from a CSV file, pasted text or a profile. Pure: text in,
 * partners and rejected lines out.
 *
 * Nothing valid is dropped because another line is bad: every line is judged
 * on its own and every rejection names its line and reason. Only problems
 * with the whole input (too large, binary data) are thrown, as InputError.
 * Lines are cut at `PARTNER_LIMITS.lineLength` before any parsing, so a 5 MB
 * line costs one slice, and the work is linear in the input.
 */
export type PartnerListFormat = 'auto' | 'csv' | 'text';

const COLUMNS = ['domain', 'name', 'tlsdomain', 'direction', 'contact', 'notes'] as const;
type Column = (typeof COLUMNS)[number];
const COLUMN_ALIASES: Readonly<Record<string, Column>> = {
  domain: 'domain', domains: 'domain', 'mail domain': 'domain', maildomain: 'domain',
  name: 'name', partner: 'name', organisation: 'name', organization: 'name',
  tlsdomain: 'tlsdomain', 'tls domain': 'tlsdomain', tls_domain: 'tlsdomain',
  direction: 'direction', contact: 'contact', email: 'contact', notes: 'notes', note: 'notes', comment: 'notes',
};
const DELIMITERS = [',', ';', '\t'] as const;

export function parsePartnerList(input: string, options: { readonly format?: PartnerListFormat; readonly fileName?: string } = {}): PartnerImport {
  if (input.length > PARTNER_LIMITS.importBytes) {
    throw new InputError(`The partner list is ${(input.length / 1024 / 1024).toFixed(1)} MB; at most ${PARTNER_LIMITS.importBytes / 1024 / 1024} MB is read (split it into several lists).`);
  }
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const binary = binaryReason(text);
  if (binary) throw new InputError(`The partner list ${binary}; give a CSV or text file (UTF-8).`);
  const lines = text.split(/\r\n|\n|\r/);
  const firstIndex = lines.findIndex((l) => l.trim() !== '');
  const first = firstIndex >= 0 ? lines[firstIndex]!.slice(0, PARTNER_LIMITS.lineLength) : '';
  const format = options.format && options.format !== 'auto' ? options.format : guessFormat(first, options.fileName);
  const builder = new ListBuilder(format);
  if (format === 'text') {
    lines.forEach((line, i) => builder.addText(line, i + 1));
    return builder.result();
  }
  const delimiter = pickDelimiter(first);
  let header: (Column | null)[] | null = null;
  if (firstIndex >= 0) {
    const cells = splitCsvLine(first, delimiter);
    if (!('problem' in cells) && cells.some((c) => headerColumn(c) === 'domain')) {
      header = cells.map(headerColumn);
      const unknown = cells.filter((c, i) => header![i] === null && c.trim() !== '');
      if (unknown.length > 0) builder.warn(`Columns not used: ${unknown.map((c) => quoteValue(c)).join(', ')} (known: domain, name, tlsDomain, direction, contact, notes).`);
    } else if ('problem' in cells || cells.length === 1) {
      const other = /[|:]/.exec(first);
      if (other && /^\s*"?domain/i.test(first)) builder.warn(`The first line looks like a header separated by "${other[0]}"; use commas, semicolons or tabs between columns.`);
    }
  }
  lines.forEach((line, i) => {
    if (header && i === firstIndex) return;
    builder.addCsv(line, i + 1, delimiter, header);
  });
  return builder.result();
}

/** Partners of a planner profile: every domain of every partner, with the TLS the profile asks for. */
export function partnersFromProfile(profile: Pick<Profile, 'partners'>): PartnerImport {
  const builder = new ListBuilder('profile');
  profile.partners.forEach((partner, index) => {
    const direction: PartnerDirection = partner.requireTlsInbound && !partner.requireTlsOutbound ? 'inbound'
      : partner.requireTlsOutbound && !partner.requireTlsInbound ? 'outbound' : 'both';
    for (const domain of partner.domains) {
      builder.addFields({ domain, name: partner.name, tlsdomain: partner.certificateName ?? '', direction, contact: '', notes: '' }, index + 1, `${partner.name}: ${domain}`);
    }
  });
  return builder.result();
}

// ---------------------------------------------------------------- the pieces

function binaryReason(text: string): string | undefined {
  const sample = text.slice(0, 64 * 1024);
  if (sample.includes('\u0000')) return 'contains NUL bytes: it looks like binary data, not text';
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) odd += 1;
  }
  if (odd > 16 && odd / sample.length > 0.05) return 'is not readable text (many control characters or bytes that are not UTF-8)';
  return undefined;
}

function guessFormat(first: string, fileName?: string): 'csv' | 'text' {
  if (fileName && /\.(csv|tsv)$/i.test(fileName)) return 'csv';
  if (/^\s*"?domain"?\s*([^\w\s.@-]|$)/i.test(first)) return 'csv';
  return DELIMITERS.some((d) => first.includes(d)) ? 'csv' : 'text';
}

/** The delimiter of the first line: the most frequent of comma, semicolon and tab (comma when none). */
function pickDelimiter(first: string): string {
  let best: string = ',';
  let count = 0;
  for (const d of DELIMITERS) {
    const n = first.split(d).length - 1;
    if (n > count) { best = d; count = n; }
  }
  return best;
}

function headerColumn(cell: string): Column | null {
  return COLUMN_ALIASES[cell.trim().toLowerCase().replace(/\s+/g, ' ')] ?? null;
}

/** One CSV line (RFC 4180 quoting; a quoted field does not span lines). */
export function splitCsvLine(line: string, delimiter: string): string[] | { problem: string } {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return { problem: 'a quoted field is not closed (a " is missing)' };
        value += line.slice(i, q);
        if (line[q + 1] === '"') { value += '"'; i = q + 2; continue; }
        i = q + 1;
        break;
      }
      const rest = line.indexOf(delimiter, i);
      const tail = rest < 0 ? line.slice(i) : line.slice(i, rest);
      if (tail.trim() !== '') return { problem: `text after a closing quote (${quoteValue(tail.trim())})` };
      cells.push(value);
      if (rest < 0) return cells;
      i = rest + delimiter.length;
    } else {
      const rest = line.indexOf(delimiter, i);
      const raw = rest < 0 ? line.slice(i) : line.slice(i, rest);
      if (raw.trimStart().startsWith('"')) {
        i += raw.length - raw.trimStart().length;
        continue;
      }
      if (raw.includes('"')) return { problem: `a quote inside an unquoted field (${quoteValue(raw.trim())}); quote the whole field and double the quote` };
      cells.push(raw);
      if (rest < 0) return cells;
      i = rest + delimiter.length;
    }
  }
}

type Fields = Readonly<Record<Column, string>>;

class ListBuilder {
  private readonly partners = new Map<string, PartnerEntry>();
  private readonly rejected: ImportRejection[] = [];
  private rejectedNotListed = 0;
  private duplicatesMerged = 0;
  private readonly warnings: string[] = [];

  constructor(private readonly format: PartnerImport['format']) {}

  warn(text: string): void {
    if (!this.warnings.includes(text)) this.warnings.push(text);
  }

  addText(raw: string, line: number): void {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    if (text.length > PARTNER_LIMITS.lineLength) return this.reject(line, text, `the line is ${text.length} characters long; at most ${PARTNER_LIMITS.lineLength} are read`);
    this.addFields({ domain: text, name: '', tlsdomain: '', direction: '', contact: '', notes: '' }, line, text);
  }

  addCsv(raw: string, line: number, delimiter: string, header: readonly (Column | null)[] | null): void {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    if (raw.length > PARTNER_LIMITS.lineLength) return this.reject(line, raw, `the line is ${raw.length} characters long; at most ${PARTNER_LIMITS.lineLength} are read`);
    const cells = splitCsvLine(raw, delimiter);
    if ('problem' in cells) return this.reject(line, raw, cells.problem);
    if (cells.every((c) => c.trim() === '')) return;
    const order = header ?? COLUMNS;
    if (!header && cells.length > COLUMNS.length) return this.reject(line, raw, `${cells.length} columns; without a header line the columns are domain, name, tlsDomain, direction, contact, notes`);
    const fields: Record<Column, string> = { domain: '', name: '', tlsdomain: '', direction: '', contact: '', notes: '' };
    cells.forEach((cell, i) => {
      const column = order[i];
      if (column) fields[column] = cell.trim();
    });
    this.addFields(fields, line, raw);
  }

  addFields(fields: Fields, line: number, raw: string): void {
    if (fields.domain === '') return this.reject(line, raw, 'no domain in the domain column');
    let domain: { ascii: string; unicode: string };
    try {
      domain = normalizeDomain(fields.domain);
    } catch (error) {
      return this.reject(line, raw, error instanceof Error ? error.message : String(error));
    }
    const direction = parseDirection(fields.direction);
    if (direction === undefined) return this.reject(line, raw, `direction ${quoteValue(fields.direction)} is not inbound, outbound or both`);
    let tlsDomain: string | undefined;
    if (fields.tlsdomain !== '') {
      const problem = certificateNameRule(fields.tlsdomain);
      if (problem) return this.reject(line, raw, `tlsDomain: ${problem}`);
      const wildcard = fields.tlsdomain.startsWith('*.');
      tlsDomain = `${wildcard ? '*.' : ''}${toAsciiName((wildcard ? fields.tlsdomain.slice(2) : fields.tlsdomain).replace(/\.$/, '')) ?? fields.tlsdomain}`;
    }
    for (const key of ['name', 'contact', 'notes'] as const) {
      if (fields[key].length > PARTNER_LIMITS.fieldLength) return this.reject(line, raw, `${key} is ${fields[key].length} characters long; at most ${PARTNER_LIMITS.fieldLength}`);
    }
    const clean = (s: string): string | undefined => {
      // eslint-disable-next-line no-control-regex
      const v = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').trim();
      return v === '' ? undefined : v;
    };
    const entry: PartnerEntry = {
      domain: domain.ascii,
      domainUnicode: domain.unicode,
      direction,
      line,
      ...(clean(fields.name) ? { name: clean(fields.name)! } : {}),
      ...(tlsDomain ? { tlsDomain } : {}),
      ...(clean(fields.contact) ? { contact: clean(fields.contact)! } : {}),
      ...(clean(fields.notes) ? { notes: clean(fields.notes)! } : {}),
    };
    const existing = this.partners.get(entry.domain);
    if (existing) {
      this.duplicatesMerged += 1;
      this.partners.set(entry.domain, merge(existing, entry));
      return;
    }
    if (this.partners.size >= PARTNER_LIMITS.partners) return this.reject(line, raw, `the list already has ${PARTNER_LIMITS.partners} partners, the most one list may hold`);
    this.partners.set(entry.domain, entry);
  }

  private reject(line: number, raw: string, reason: string): void {
    if (this.rejected.length >= PARTNER_LIMITS.rejectionsListed) {
      this.rejectedNotListed += 1;
      return;
    }
    this.rejected.push({ line, text: quoteValue(raw.slice(0, 200)).slice(1, -1), reason });
  }

  result(): PartnerImport {
    return {
      format: this.format,
      partners: [...this.partners.values()],
      rejected: this.rejected,
      rejectedNotListed: this.rejectedNotListed,
      duplicatesMerged: this.duplicatesMerged,
      warnings: this.warnings,
    };
  }
}

function parseDirection(text: string): PartnerDirection | undefined {
  switch (text.trim().toLowerCase()) {
    case '': case 'both': case 'in/out': case 'inbound/outbound': return 'both';
    case 'inbound': case 'in': return 'inbound';
    case 'outbound': case 'out': return 'outbound';
    default: return undefined;
  }
}

/** A domain listed twice: the first line wins, the later one fills what it left empty; in + out = both. */
function merge(a: PartnerEntry, b: PartnerEntry): PartnerEntry {
  const direction: PartnerDirection = a.direction === b.direction ? a.direction : 'both';
  return {
    ...b, ...a, direction,
    ...(a.name ?? b.name ? { name: (a.name ?? b.name)! } : {}),
    ...(a.tlsDomain ?? b.tlsDomain ? { tlsDomain: (a.tlsDomain ?? b.tlsDomain)! } : {}),
    ...(a.contact ?? b.contact ? { contact: (a.contact ?? b.contact)! } : {}),
    ...(a.notes ?? b.notes ? { notes: (a.notes ?? b.notes)! } : {}),
  };
}
