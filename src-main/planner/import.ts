import { InputError } from '../contract/errors';
import type { ExistingAcceptedDomain, ExistingConnector, ExistingInbound, ExistingOutbound } from '../contract/planner';
import { decodeWindows1252 } from '../text/windows-1252';

/**
 * Reads `Get-InboundConnector | ConvertTo-Json -Depth 5` and
 * `Get-OutboundConnector -IncludeTestModeConnectors $true | ConvertTo-Json -Depth 5`
 * output, as PowerShell 7 and Windows PowerShell 5.1 write it:
 * UTF-8 or UTF-16 (with or without a byte-order mark), one object instead of
 * an array when there is one connector, enums as names or numbers,
 * `/Date(ms)/` dates, AddressSpace strings such as `smtp:*;1`.
 *
 * All or nothing: the first problem throws an InputError naming the file,
 * the item and the property; nothing is returned half-read.
 */

export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;
/** At most this many connectors (or accepted domains) are read from one file. */
export const MAX_ITEMS = 1000;
/**
 * At most this many domains, addresses and smart hosts, all connectors of a
 * file together. Planning stays linear in them (bench/plan-import.ts: two
 * connectors of 26,000 domains each plan in well under a second), and the
 * cap keeps one file from holding the planner for long.
 */
export const MAX_VALUES_PER_FILE = 100_000;

/**
 * Numeric enum values, as Windows PowerShell 5.1's ConvertTo-Json writes them
 * (it writes an enum's number, not its name).
 * [inference] Microsoft does not document the numbering; these follow the
 * declaration order in the Exchange type libraries as seen in decompiled
 * public sources (third-party). Every value read this way is noted on the
 * connector and reported (IMPORT_ASSUMPTION) so the reader can check it.
 */
export const CONNECTOR_TYPES: Readonly<Record<number, 'Partner' | 'OnPremises'>> = { 1: 'OnPremises', 2: 'Partner' };
export const TLS_SETTINGS: Readonly<Record<number, ExistingOutbound['tlsSettings']>> = { 0: undefined, 1: 'EncryptionOnly', 2: 'CertificateValidation', 4: 'DomainValidation' };
export const CONNECTOR_SOURCES: Readonly<Record<number, string>> = { 0: 'Default', 1: 'Migrated', 2: 'HybridWizard' };

export function decodeText(fileName: string, data: Uint8Array | string): string {
  if (typeof data === 'string') {
    if (data.length > MAX_IMPORT_BYTES) throw new InputError(`${fileName}: the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; is it really a connector export?`, fileName);
    return data.replace(/^\uFEFF/, '');
  }
  if (data.byteLength > MAX_IMPORT_BYTES) throw new InputError(`${fileName}: the file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; is it really a connector export?`, fileName);
  let encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8';
  let start = 0;
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) start = 3;
  else if (data[0] === 0xff && data[1] === 0xfe) { encoding = 'utf-16le'; start = 2; }
  else if (data[0] === 0xfe && data[1] === 0xff) { encoding = 'utf-16be'; start = 2; }
  else if (data.length >= 2 && data[0] !== 0 && data[1] === 0) encoding = 'utf-16le';
  else if (data.length >= 2 && data[0] === 0 && data[1] !== 0) encoding = 'utf-16be';
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(data.subarray(start));
  } catch {
    // Windows PowerShell 5.1's Set-Content and `Out-File -Encoding Default` write the ANSI code page.
    if (encoding === 'utf-8' && start === 0 && !data.includes(0)) return decodeWindows1252(data);
    throw new InputError(`${fileName}: the file is not valid ${encoding.toUpperCase()} text; save the export with ConvertTo-Json | Out-File (UTF-8 or Unicode).`, fileName);
  }
}

/**
 * The JSON of a PowerShell export (any of its encodings), or `undefined` for
 * an empty file (an export of nothing); bad JSON is one line that says how to
 * export again (`howToExport`).
 */
function readExportJson(fileName: string, data: Uint8Array | string, howToExport: string): unknown {
  const text = decodeText(fileName, data);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 200) : 'unreadable';
    throw new InputError(`${fileName}: not valid JSON (${detail}); export with ${howToExport}.`, fileName);
  }
}

export function importConnectors(fileName: string, data: Uint8Array | string): ExistingConnector[] {
  const parsed = readExportJson(fileName, data, 'ConvertTo-Json -Depth 5');
  if (parsed === undefined) return [];
  if (parsed === null) return [];
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length > MAX_ITEMS) throw new InputError(`${fileName}: ${items.length} items; at most ${MAX_ITEMS} connectors are read.`, fileName);
  const connectors = items.map((item, index) => readConnector(item, `${fileName}, item ${index + 1}`));
  const values = connectors.reduce((sum, c) => sum + (c.direction === 'inbound' ? c.senderDomains.length + c.senderIpAddresses.length : c.recipientDomains.length + c.smartHosts.length), 0);
  if (values > MAX_VALUES_PER_FILE) {
    throw new InputError(`${fileName}: its ${connectors.length} connectors hold ${values.toLocaleString('en')} domains, addresses and smart hosts; at most ${MAX_VALUES_PER_FILE.toLocaleString('en')} are read from one file. Export fewer connectors per file (Get-OutboundConnector -Identity ...).`, fileName);
  }
  return connectors;
}

const INBOUND_KEYS = ['SenderDomains', 'SenderIPAddresses', 'RequireTls', 'RestrictDomainsToIPAddresses', 'RestrictDomainsToCertificate', 'TlsSenderCertificateName'];
const OUTBOUND_KEYS = ['RecipientDomains', 'SmartHosts', 'UseMXRecord', 'TlsSettings', 'TlsDomain', 'RouteAllMessagesViaOnPremises'];

class Reader {
  readonly notes: string[] = [];
  constructor(readonly obj: Record<string, unknown>, readonly where: string) {}

  fail(prop: string, problem: string): never {
    throw new InputError(`${this.where}, ${prop}: ${problem}`, `${this.where}, ${prop}`);
  }
  has(prop: string): boolean {
    return this.obj[prop] !== undefined && this.obj[prop] !== null;
  }
  string(prop: string): string | undefined {
    const v = this.obj[prop];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'object' && !Array.isArray(v)) {
      // PS 5.1 sometimes wraps values: { "value": ..., ... } or SmtpDomain { "Domain": ... }.
      const inner = (v as Record<string, unknown>)['Domain'] ?? (v as Record<string, unknown>)['value'];
      if (typeof inner === 'string') return inner;
    }
    return this.fail(prop, `expected text, found ${describe(v)}`);
  }
  bool(prop: string, fallback: boolean): boolean {
    const v = this.obj[prop];
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    if (v === 'True' || v === 'true') return true;
    if (v === 'False' || v === 'false') return false;
    return this.fail(prop, `expected true or false, found ${describe(v)}`);
  }
  list(prop: string): string[] {
    const v = this.obj[prop];
    if (v === undefined || v === null) return [];
    const arr = Array.isArray(v) ? v : [v];
    return arr.map((x, i) => {
      if (typeof x === 'string') return x;
      if (x && typeof x === 'object') {
        const o = x as Record<string, unknown>;
        // Deserialised AddressSpace / SmartHost / IPRange objects.
        const inner = o['Address'] ?? o['Domain'] ?? o['Expression'] ?? o['value'];
        if (typeof inner === 'string') return inner;
        if (inner && typeof inner === 'object' && typeof (inner as Record<string, unknown>)['Domain'] === 'string') return (inner as Record<string, string>)['Domain'] ?? '';
      }
      return this.fail(`${prop}[${i}]`, `expected text, found ${describe(x)}`);
    });
  }
  enumValue<T>(prop: string, names: readonly T[], numbers: Readonly<Record<number, T>>): T | undefined {
    const v = this.obj[prop];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'string') {
      const hit = names.find((n) => typeof n === 'string' && n.toLowerCase() === v.toLowerCase());
      if (hit !== undefined) return hit;
      return this.fail(prop, `unknown value "${v.slice(0, 60)}" (expected ${names.join(', ')})`);
    }
    if (typeof v === 'number' && Number.isInteger(v) && v in numbers) {
      const value = numbers[v] as T;
      this.notes.push(`${prop} was the number ${v}, read as ${String(value ?? 'none')} (Windows PowerShell 5.1 writes enums as numbers; check this reading).`);
      return value;
    }
    return this.fail(prop, `unknown value ${describe(v)} (expected ${names.join(', ')})`);
  }
  date(prop: string): string | undefined {
    const v = this.obj[prop];
    if (v === undefined || v === null || v === '') return undefined;
    const raw = typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)['value'] : v;
    if (typeof raw === 'string') {
      const ms = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(raw);
      const date = ms ? new Date(Number(ms[1])) : new Date(raw);
      if (!Number.isNaN(date.getTime())) return date.toISOString();
    }
    return this.fail(prop, `expected a date, found ${describe(v)}`);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v.slice(0, 40)}"`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v).slice(0, 40)}`;
}

/** `smtp:*;1` → `*`, `SMTP:contoso.com;1` → `contoso.com`, plain domains unchanged. */
export function addressSpaceDomain(value: string): string {
  const m = /^([a-z0-9]+):(.*?)(?:;\d+)?$/i.exec(value.trim());
  return (m ? (m[2] ?? '') : value).trim();
}

function readConnector(item: unknown, where: string): ExistingConnector {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new InputError(`${where}: expected a connector object, found ${describe(item)}`, where);
  }
  const obj = item as Record<string, unknown>;
  const nameValue = obj['Name'] ?? obj['Identity'];
  if (typeof nameValue !== 'string' || nameValue.trim() === '') {
    throw new InputError(`${where}, Name: missing; is this Get-InboundConnector or Get-OutboundConnector output?`, `${where}, Name`);
  }
  const name = nameValue.trim();
  const r = new Reader(obj, `${where} ("${name.slice(0, 64)}")`);
  const inbound = INBOUND_KEYS.some((k) => k in obj);
  const outbound = OUTBOUND_KEYS.some((k) => k in obj);
  if (inbound === outbound) {
    r.fail(inbound ? 'SenderDomains/RecipientDomains' : 'SenderDomains', inbound
      ? 'has both inbound (SenderDomains...) and outbound (RecipientDomains...) properties; export inbound and outbound connectors to separate files'
      : 'no SenderDomains or RecipientDomains: cannot tell an inbound from an outbound connector');
  }
  const connectorType = r.enumValue('ConnectorType', ['Partner', 'OnPremises'] as const, CONNECTOR_TYPES) ?? r.fail('ConnectorType', 'missing (expected Partner or OnPremises)');
  const connectorSource = r.enumValue('ConnectorSource', ['Default', 'HybridWizard', 'Migrated', 'AdminUI'] as const, CONNECTOR_SOURCES) ?? 'Default';
  const common = {
    name,
    enabled: r.bool('Enabled', true),
    connectorType,
    connectorSource,
    comment: r.string('Comment') ?? '',
    cloudServicesMailEnabled: r.bool('CloudServicesMailEnabled', false),
    whenCreatedUtc: r.date('WhenCreatedUTC') ?? r.date('WhenCreated'),
    whenChangedUtc: r.date('WhenChangedUTC') ?? r.date('WhenChanged'),
    source: where,
  };
  if (inbound) {
    const c: ExistingInbound = {
      direction: 'inbound',
      ...common,
      senderDomains: r.list('SenderDomains').map(addressSpaceDomain),
      senderIpAddresses: r.list('SenderIPAddresses').map((s) => s.trim()),
      requireTls: r.bool('RequireTls', false),
      restrictDomainsToIpAddresses: r.bool('RestrictDomainsToIPAddresses', false),
      restrictDomainsToCertificate: r.bool('RestrictDomainsToCertificate', false),
      tlsSenderCertificateName: r.string('TlsSenderCertificateName'),
      treatMessagesAsInternal: r.bool('TreatMessagesAsInternal', false),
      importNotes: r.notes,
    };
    return c;
  }
  const c: ExistingOutbound = {
    direction: 'outbound',
    ...common,
    recipientDomains: r.list('RecipientDomains').map(addressSpaceDomain),
    smartHosts: r.list('SmartHosts').map((s) => s.trim()),
    useMxRecord: r.bool('UseMXRecord', true),
    tlsSettings: r.enumValue('TlsSettings', ['EncryptionOnly', 'CertificateValidation', 'DomainValidation'] as const, TLS_SETTINGS),
    tlsDomain: r.string('TlsDomain'),
    isTransportRuleScoped: r.bool('IsTransportRuleScoped', false),
    routeAllMessagesViaOnPremises: r.bool('RouteAllMessagesViaOnPremises', false),
    allAcceptedDomains: r.bool('AllAcceptedDomains', false),
    testMode: r.bool('TestMode', false),
    importNotes: r.notes,
  };
  return c;
}

/** AcceptedDomainType as Windows PowerShell 5.1 writes it. [inference] Declaration order, as for the connector enums; reported when used. */
export const ACCEPTED_DOMAIN_TYPES: Readonly<Record<number, 'Authoritative' | 'ExternalRelay' | 'InternalRelay'>> = { 0: 'Authoritative', 1: 'ExternalRelay', 2: 'InternalRelay' };

/**
 * Reads `Get-AcceptedDomain | ConvertTo-Json` (PowerShell 7 or Windows
 * PowerShell 5.1), all or nothing, like the connector exports.
 */
export function importAcceptedDomains(fileName: string, data: Uint8Array | string): ExistingAcceptedDomain[] {
  const parsed = readExportJson(fileName, data, 'Get-AcceptedDomain | ConvertTo-Json');
  if (parsed === undefined || parsed === null) return [];
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length > MAX_ITEMS) throw new InputError(`${fileName}: ${items.length} items; at most ${MAX_ITEMS} accepted domains are read.`, fileName);
  return items.map((item, index) => {
    const where = `${fileName}, item ${index + 1}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new InputError(`${where}: expected an accepted domain object, found ${describe(item)}`, where);
    const r = new Reader(item as Record<string, unknown>, where);
    const domainName = r.string('DomainName') ?? r.fail('DomainName', 'missing; is this Get-AcceptedDomain output?');
    const domainType = r.enumValue('DomainType', ['Authoritative', 'ExternalRelay', 'InternalRelay'] as const, ACCEPTED_DOMAIN_TYPES) ?? r.fail('DomainType', 'missing (expected Authoritative, InternalRelay or ExternalRelay)');
    return { domainName: domainName.trim(), domainType, source: where, importNotes: r.notes };
  });
}
