/**
 * A bounded SMTP reply reader: bytes in, complete replies out.
 *
 * Every limit is checked as the bytes arrive, so a hostile server cannot make
 * us buffer more than one line (at most `maxLineBytes`), cannot keep a reply
 * open forever (`maxLinesPerReply`) and cannot feed us without end
 * (`maxTotalBytes`). Non-SMTP data is recognised from its first bytes, before
 * any line end arrives.
 */

export interface ReplyLimits {
  /** RFC 5321 allows 512 octets per reply line; real servers stay well below 1000. */
  readonly maxLineBytes: number;
  readonly maxLinesPerReply: number;
  readonly maxTotalBytes: number;
}

export const DEFAULT_REPLY_LIMITS: ReplyLimits = { maxLineBytes: 2048, maxLinesPerReply: 100, maxTotalBytes: 256 * 1024 };

export interface SmtpReply {
  readonly code: number;
  /** Text of each line without the code and separator. */
  readonly lines: readonly string[];
}

export type ReaderErrorKind = 'line-too-long' | 'too-many-lines' | 'too-much-data' | 'not-smtp';

export type ReaderEvent =
  | { readonly kind: 'line'; readonly raw: Buffer }
  | { readonly kind: 'reply'; readonly reply: SmtpReply }
  | { readonly kind: 'error'; readonly error: ReaderErrorKind; readonly detail: string };

const LF = 0x0a;
const CR = 0x0d;

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

/** Whether `prefix` (the start of a line, maybe partial) can still be an SMTP reply line. */
function plausiblePrefix(prefix: Buffer): boolean {
  for (let i = 0; i < Math.min(prefix.length, 4); i++) {
    const byte = prefix[i] ?? 0;
    if (i < 3 && !isDigit(byte)) return false;
    if (i === 3 && byte !== 0x20 && byte !== 0x2d && byte !== CR && byte !== LF) return false;
  }
  return true;
}

export class ReplyReader {
  private partial: Buffer[] = [];
  private partialLength = 0;
  private replyLines: string[] = [];
  private replyCode: number | null = null;
  private totalBytes = 0;
  private failed = false;
  private headChecked = false;

  constructor(private readonly limits: ReplyLimits = DEFAULT_REPLY_LIMITS) {}

  /** Bytes of an unfinished line held right now (for "received N bytes, no line end"). */
  get pendingBytes(): number {
    return this.partialLength;
  }

  /** The unfinished line so far (bounded by maxLineBytes), for evidence. */
  get pendingText(): Buffer {
    return Buffer.concat(this.partial);
  }

  get isFailed(): boolean {
    return this.failed;
  }

  /** Lines of the reply in progress (continuation lines seen so far). */
  get linesInProgress(): number {
    return this.replyLines.length;
  }

  feed(chunk: Buffer): ReaderEvent[] {
    if (this.failed) return [];
    const events: ReaderEvent[] = [];
    this.totalBytes += chunk.length;
    let start = 0;
    while (start < chunk.length && !this.failed) {
      const lf = chunk.indexOf(LF, start);
      const end = lf === -1 ? chunk.length : lf;
      const piece = chunk.subarray(start, end);
      if (this.partialLength + piece.length > this.limits.maxLineBytes) {
        return [...events, this.fail('line-too-long', `a reply line longer than ${this.limits.maxLineBytes} bytes, with no line end`)];
      }
      if (piece.length > 0) {
        this.partial.push(Buffer.from(piece));
        this.partialLength += piece.length;
      }
      if (!this.headChecked && this.partialLength > 0) {
        // Check the first bytes of a line as soon as they arrive, before any line end.
        const head = Buffer.concat(this.partial).subarray(0, 4);
        if (!plausiblePrefix(head)) return [...events, this.fail('not-smtp', 'data that is not an SMTP reply (no three-digit code)')];
        if (head.length >= 4) this.headChecked = true;
      }
      if (lf === -1) break;
      events.push(...this.completeLine());
      start = lf + 1;
    }
    if (!this.failed && this.totalBytes > this.limits.maxTotalBytes) {
      events.push(this.fail('too-much-data', `more than ${this.limits.maxTotalBytes} bytes received in one conversation`));
    }
    return events;
  }

  private completeLine(): ReaderEvent[] {
    let raw = Buffer.concat(this.partial);
    this.partial = [];
    this.partialLength = 0;
    this.headChecked = false;
    if (raw.length > 0 && raw[raw.length - 1] === CR) raw = raw.subarray(0, raw.length - 1);
    const events: ReaderEvent[] = [{ kind: 'line', raw }];
    if (raw.length < 3 || !plausiblePrefix(raw)) {
      events.push(this.fail('not-smtp', 'a line that is not an SMTP reply (no three-digit code)'));
      return events;
    }
    const code = Number(raw.subarray(0, 3).toString('latin1'));
    const separator = raw[3];
    const text = raw.subarray(4).toString('utf8');
    if (this.replyCode !== null && code !== this.replyCode) {
      events.push(this.fail('not-smtp', `a continuation line with code ${code} inside a ${this.replyCode} reply`));
      return events;
    }
    this.replyCode = code;
    this.replyLines.push(text);
    if (separator === 0x2d) {
      if (this.replyLines.length >= this.limits.maxLinesPerReply) {
        events.push(this.fail('too-many-lines', `more than ${this.limits.maxLinesPerReply} continuation lines without the end of the reply`));
      }
      return events;
    }
    events.push({ kind: 'reply', reply: { code, lines: this.replyLines } });
    this.replyLines = [];
    this.replyCode = null;
    return events;
  }

  private fail(error: ReaderErrorKind, detail: string): ReaderEvent {
    this.failed = true;
    this.partial = [];
    this.partialLength = 0;
    this.replyLines = [];
    return { kind: 'error', error, detail };
  }
}
