import type { TranscriptLine } from '../../contract/probe';

/**
 * The SMTP transcript users read and export: every line sent and received,
 * with its time offset. Untrusted bytes are escaped so the text is safe to
 * show anywhere; the whole transcript is bounded in lines and characters.
 */

export interface TranscriptLimits {
  readonly maxLines: number;
  readonly maxCharsPerLine: number;
}

/**
 * At most about 120 kB of transcript per probe, whatever the server sends
 * (a reply line is at most 512 bytes by RFC 5321; escaping may lengthen it):
 * with the engine's bounds on probes per check, a report stays a few MB at worst.
 */
export const DEFAULT_TRANSCRIPT_LIMITS: TranscriptLimits = { maxLines: 200, maxCharsPerLine: 600 };

/** Printable ASCII stays; everything else becomes \xNN (so a banner can't smuggle control sequences). */
export function escapeBytes(bytes: Buffer, maxChars = Number.POSITIVE_INFINITY): string {
  let out = '';
  for (const byte of bytes) {
    if (out.length >= maxChars) return `${out}…`;
    if (byte === 0x5c) out += '\\\\';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export class Transcript {
  private readonly lines: TranscriptLine[] = [];
  private dropped = 0;

  constructor(
    private readonly elapsed: () => number,
    private readonly limits: TranscriptLimits = DEFAULT_TRANSCRIPT_LIMITS,
  ) {}

  sent(text: string): void {
    this.add('sent', escapeBytes(Buffer.from(text, 'utf8'), this.limits.maxCharsPerLine));
  }

  received(raw: Buffer): void {
    this.add('received', escapeBytes(raw, this.limits.maxCharsPerLine));
  }

  event(text: string): void {
    this.add('event', escapeBytes(Buffer.from(text, 'utf8'), this.limits.maxCharsPerLine));
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  toArray(): TranscriptLine[] {
    if (this.dropped === 0) return [...this.lines];
    return [...this.lines, { t: this.elapsed(), direction: 'event', text: `(transcript truncated: ${this.dropped} more lines not kept)` }];
  }

  private add(direction: TranscriptLine['direction'], text: string): void {
    if (this.lines.length >= this.limits.maxLines) {
      this.dropped++;
      return;
    }
    this.lines.push({ t: Math.round(this.elapsed()), direction, text });
  }
}
