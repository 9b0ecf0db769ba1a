import PostalMime, { decodeWords as decodeMimeWords } from 'postal-mime';
import type { Address, Email, Header } from 'postal-mime';
import MsgReaderModule from '@kenjiuno/msgreader';
import { InputError } from '../../contract/errors';
import { MESSAGE_LIMITS } from '../../contract/message';
import type { MessageNote } from '../../contract/message';

/**
 * Reading what the user dropped or pasted: an .eml (MIME, parsed by
 * postal-mime), an Outlook .msg (parsed by @kenjiuno/msgreader, whose
 * transport headers are then parsed by postal-mime), raw headers, or the
 * text of a non-delivery report. Everything is bounded: the input size, the
 * number of header fields and the length of each.
 */
export interface HeaderField {
  /** Lower case. */
  readonly name: string;
  /** Unfolded (line breaks and the whitespace after them become one space), not decoded. */
  readonly value: string;
}

export interface ReadMessage {
  readonly kind: 'eml' | 'msg' | 'headers' | 'ndr-text';
  readonly bytes: number;
  readonly headers: readonly HeaderField[];
  /** The plain-text body (or the pasted text itself when it is not a message). */
  readonly text: string;
  /** The `message/delivery-status` part of a report (RFC 3464), as text. */
  readonly deliveryStatus?: string;
  /** Headers of the original message attached to a report (`message/rfc822`, `text/rfc822-headers`). */
  readonly originalHeaders?: readonly HeaderField[];
  readonly subject?: string;
  readonly from?: string;
  readonly to: readonly string[];
  readonly date?: string;
  readonly messageId?: string;
  readonly notes: readonly MessageNote[];
}

/**
 * msgreader is CommonJS with the class on `default`: Node's ESM import gives
 * the exports object, a bundler the class itself.
 */
const MsgReader: typeof MsgReaderModule = (MsgReaderModule as unknown as { default?: typeof MsgReaderModule }).default ?? MsgReaderModule;
type MsgFileData = ReturnType<InstanceType<typeof MsgReaderModule>['getFileData']>;

/** The first bytes of every Compound File Binary (an Outlook .msg). */
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const HEADER_LINE = /^[!-9;-~]{1,100}:/;
const MB = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

export async function readMessage(bytes: Uint8Array, fileName?: string): Promise<ReadMessage> {
  if (bytes.length > MESSAGE_LIMITS.inputBytes) {
    throw new InputError(`${fileName ?? 'The input'} is ${MB(bytes.length)}; at most ${MB(MESSAGE_LIMITS.inputBytes)} is read. Save the message without its attachments, or paste its headers only.`, 'input');
  }
  if (bytes.length === 0 || isBlank(bytes)) throw new InputError('Nothing to analyse: paste message headers or an NDR, or drop an .eml or .msg file.', 'input');
  if (CFB_MAGIC.every((b, i) => bytes[i] === b)) return readMsg(bytes, fileName);
  if (/\.msg$/i.test(fileName ?? '')) throw new InputError(`${fileName} is not an Outlook .msg file (it does not start like one). Save the message again from Outlook, or paste its headers.`, 'input');
  if (looksBinary(bytes)) {
    throw new InputError(`${fileName ?? 'The input'} is binary data, not a message: expected an .eml file, an Outlook .msg file, message headers or the text of a non-delivery report.`, 'input');
  }
  // A message goes to the MIME parser as bytes (no 10 MB string copy); only other text is decoded whole.
  let start = firstNonSpace(bytes);
  let firstLine = new TextDecoder('utf-8').decode(bytes.subarray(start, start + 1024)).split(/\r?\n/, 1)[0] ?? '';
  if (OUTLOOK_PREAMBLE.test(firstLine)) {
    start = firstNonSpace(bytes, start + firstLine.length);
    firstLine = new TextDecoder('utf-8').decode(bytes.subarray(start, start + 1024)).split(/\r?\n/, 1)[0] ?? '';
  }
  if (HEADER_LINE.test(firstLine)) {
    const notes: MessageNote[] = [];
    const parsed = await parseMime(bytes.subarray(start), notes);
    return { ...parsed, kind: hasBody(bytes) || /\.eml$/i.test(fileName ?? '') ? 'eml' : 'headers', bytes: bytes.length, notes };
  }
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  return readText(text, bytes.length, fileName);
}

/** Older Outlook versions put this line above the headers they show and keep in a .msg. */
const OUTLOOK_PREAMBLE = /^Microsoft Mail Internet Headers Version \d/i;

/** Where the text starts: after a UTF-8 byte order mark and blank space. */
function firstNonSpace(bytes: Uint8Array, from = 0): number {
  let i = from === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : from;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i += 1;
  return i;
}

/** Is there anything after the blank line that ends the header (a body), or only headers (pasted from a mail client)? */
function hasBody(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length - 1; i += 1) {
    if (bytes[i] !== 0x0a) continue;
    const next = bytes[i + 1] === 0x0d ? i + 2 : i + 1;
    if (bytes[next] !== 0x0a) continue;
    for (let j = next + 1; j < bytes.length; j += 1) if (bytes[j] !== 0x20 && bytes[j] !== 0x09 && bytes[j] !== 0x0a && bytes[j] !== 0x0d) return true;
    return false;
  }
  return false;
}

function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes.subarray(0, 4096)) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  return bytes.length <= 4096;
}

/** NUL bytes or many control characters in the first 64 KB: not text. */
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 65536);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control += 1;
  }
  return control > sample.length / 20;
}

async function readText(text: string, bytes: number, fileName: string | undefined): Promise<ReadMessage> {
  const notes: MessageNote[] = [];
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (HEADER_LINE.test(firstLine.trimStart())) {
    const parsed = await parseMime(text.trimStart(), notes);
    const hasBody = /\r?\n\r?\n\S/.test(text);
    return { ...parsed, kind: hasBody || /\.eml$/i.test(fileName ?? '') ? 'eml' : 'headers', bytes, notes };
  }
  // Not a message: the text of a report someone copied, maybe with the original headers inside.
  const start = text.search(/^Received:/im);
  let originalHeaders: HeaderField[] | undefined;
  if (start >= 0) {
    const parsed = await parseMime(text.slice(start), notes);
    originalHeaders = [...parsed.headers];
  }
  return { kind: 'ndr-text', bytes, headers: [], text, to: [], notes, ...(originalHeaders ? { originalHeaders } : {}) };
}

type Parsed = Omit<ReadMessage, 'kind' | 'bytes' | 'notes'>;

/** MIME types of the parts of a delivery report (RFC 3464, RFC 6533) and of the original message it returns. */
const REPORT_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status', 'text/rfc822-headers', 'message/rfc822', 'message/global-headers']);

/** One MIME message through postal-mime, with the report parts picked out. */
async function parseMime(text: string | Uint8Array, notes: MessageNote[], depth = 0): Promise<Parsed> {
  let email: Email;
  try {
    email = await PostalMime.parse(text, { forceRfc822Attachments: true, maxHeadersSize: 2 * 1024 * 1024, maxNestingDepth: 50 });
  } catch (error) {
    throw new InputError(`The message could not be read: ${error instanceof Error ? error.message.slice(0, 200) : 'unreadable MIME'}.`, 'input');
  }
  const headers = boundHeaders(email.headers, notes);
  let deliveryStatus: string | undefined;
  let originalHeaders: readonly HeaderField[] | undefined;
  for (const part of email.attachments) {
    // Only the report's own parts are decoded to text; other attachments (a 9 MB PDF) stay bytes.
    if (!REPORT_PARTS.has(part.mimeType)) continue;
    const raw = typeof part.content === 'string' ? part.content : new TextDecoder().decode(part.content.slice(0, 1024 * 1024));
    const content = raw.slice(0, 1024 * 1024);
    if (part.mimeType === 'message/delivery-status' || part.mimeType === 'message/global-delivery-status') deliveryStatus ??= content.slice(0, 256 * 1024);
    else if ((part.mimeType === 'text/rfc822-headers' || part.mimeType === 'message/rfc822' || part.mimeType === 'message/global-headers') && !originalHeaders && depth < 2) {
      originalHeaders = (await parseMime(headerBlock(content), notes, depth + 1)).headers;
    }
  }
  const addresses = (list: Address[] | undefined): string[] =>
    (list ?? []).flatMap((a) => (a.group ? a.group.map((m) => m.address) : [a.address])).filter((a) => a !== '').slice(0, 50);
  const fromAddress = email.from ? (email.from.group ? email.from.group[0]?.address : email.from.address) : undefined;
  return {
    headers,
    text: (email.text ?? '').slice(0, 1024 * 1024),
    to: addresses(email.to),
    ...(deliveryStatus !== undefined ? { deliveryStatus } : {}),
    ...(originalHeaders ? { originalHeaders } : {}),
    ...(email.subject ? { subject: email.subject } : {}),
    ...(fromAddress ? { from: fromAddress } : {}),
    ...(email.date ? { date: email.date } : {}),
    ...(email.messageId ? { messageId: email.messageId } : {}),
  };
}

/** The header block of an attached message (up to its first blank line), with a blank line after it so the parser stops there. */
function headerBlock(content: string): string {
  const end = content.search(/\r?\n\r?\n/);
  return `${(end >= 0 ? content.slice(0, end) : content).trimStart()}\r\n\r\n`;
}

function boundHeaders(headers: readonly Header[], notes: MessageNote[]): HeaderField[] {
  if (headers.length > MESSAGE_LIMITS.headers) {
    notes.push({ severity: 'warn', message: `The message has ${headers.length} header fields; only the first ${MESSAGE_LIMITS.headers} were read.` });
  }
  let cut = 0;
  const out = headers.slice(0, MESSAGE_LIMITS.headers).map((h) => {
    let value = h.value.replace(/\s+/g, ' ').trim();
    if (value.length > MESSAGE_LIMITS.headerChars) {
      cut += 1;
      value = value.slice(0, MESSAGE_LIMITS.headerChars);
    }
    return { name: h.key.toLowerCase(), value };
  });
  if (cut > 0) notes.push({ severity: 'warn', message: `${cut} header field${cut === 1 ? ' was' : 's were'} longer than ${MESSAGE_LIMITS.headerChars / 1024} KB and ${cut === 1 ? 'was' : 'were'} cut short.` });
  return out;
}

/** An Outlook .msg: its transport headers (PR_TRANSPORT_MESSAGE_HEADERS) and body, read with msgreader. */
async function readMsg(bytes: Uint8Array, fileName: string | undefined): Promise<ReadMessage> {
  const notes: MessageNote[] = [];
  let data: MsgFileData;
  try {
    const copy = bytes.slice().buffer;
    data = new MsgReader(copy).getFileData();
  } catch (error) {
    throw new InputError(`${fileName ?? 'The file'} looks like an Outlook .msg file but could not be read (${error instanceof Error ? error.message.slice(0, 120) : 'damaged'}). Save it again from Outlook, or paste its headers.`, 'input');
  }
  if (data.error) throw new InputError(`${fileName ?? 'The file'} could not be read as an Outlook .msg file: ${String(data.error).slice(0, 200)}.`, 'input');
  if (!data.headers && !data.subject && !data.body && (data.attachments?.length ?? 0) === 0) {
    throw new InputError(`${fileName ?? 'The file'} looks like an Outlook .msg file but could not be read (no headers, subject or text found in it). Save it again from Outlook, or paste its headers.`, 'input');
  }
  const body = (data.body ?? '').slice(0, 1024 * 1024);
  if (!data.headers) {
    notes.push({ severity: 'warn', message: 'The .msg file holds no Internet headers (it may be a draft or a sent item, which never travelled); only its text was read.' });
    const fromText = await readText(body || ' ', bytes.length, undefined).catch(() => undefined);
    return { kind: 'msg', bytes: bytes.length, headers: [], text: body, to: [], notes, ...(data.subject ? { subject: data.subject } : {}), ...(fromText?.originalHeaders ? { originalHeaders: fromText.originalHeaders } : {}) };
  }
  const parsed = await parseMime(headerBlock(data.headers.replace(/^\s*Microsoft Mail Internet Headers Version [^\r\n]*\r?\n/i, '')), notes);
  return { ...parsed, kind: 'msg', bytes: bytes.length, text: body || parsed.text, notes, ...(parsed.subject || !data.subject ? {} : { subject: data.subject }) };
}

/** RFC 2047 encoded words decoded (postal-mime's decoder), for fields shown to people. */
export function decodeWords(value: string): string {
  try {
    return decodeMimeWords(value);
  } catch {
    return value;
  }
}

/** The first value of a header, by lower-case name. */
export function headerValue(headers: readonly HeaderField[], name: string): string | undefined {
  return headers.find((h) => h.name === name)?.value;
}

export function headerValues(headers: readonly HeaderField[], name: string): string[] {
  return headers.filter((h) => h.name === name).map((h) => h.value);
}
