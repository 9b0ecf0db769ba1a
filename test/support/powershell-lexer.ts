/**
 * A small PowerShell tokenizer for tests, after the PowerShell language
 * specification (§2.3): comments, single- and double-quoted strings (with the
 * typographic quote characters PowerShell also accepts), and bare words.
 * Enough to tell whether a value written into a script stays one quoted
 * token, which is all the attack tests need.
 */
export interface PsToken {
  readonly kind: 'comment' | 'single' | 'double' | 'word' | 'operator';
  readonly text: string;
}

const SINGLE = /['\u2018\u2019\u201A\u201B]/;
const DOUBLE = /["\u201C\u201D\u201E]/;

export function tokenizePowerShell(source: string): PsToken[] {
  const tokens: PsToken[] = [];
  let i = 0;
  const at = (n = 0): string => source[i + n] ?? '';
  while (i < source.length) {
    const c = at();
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '<' && at(1) === '#') {
      const end = source.indexOf('#>', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      tokens.push({ kind: 'comment', text: source.slice(i, stop) });
      i = stop;
    } else if (c === '#') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      tokens.push({ kind: 'comment', text: source.slice(i, stop) });
      i = stop;
    } else if (SINGLE.test(c)) {
      // Inside '…' a quote character ends the string unless another one follows (the doubled quote).
      let text = '';
      i += 1;
      while (i < source.length) {
        if (SINGLE.test(at())) {
          if (SINGLE.test(at(1))) {
            text += at();
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        text += at();
        i += 1;
      }
      tokens.push({ kind: 'single', text });
    } else if (DOUBLE.test(c)) {
      let text = '';
      i += 1;
      while (i < source.length) {
        if (at() === '`') {
          text += at(1);
          i += 2;
          continue;
        }
        if (DOUBLE.test(at())) {
          if (DOUBLE.test(at(1))) {
            text += at();
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        text += at();
        i += 1;
      }
      tokens.push({ kind: 'double', text });
    } else if (/[;|(){},]/.test(c)) {
      tokens.push({ kind: 'operator', text: c });
      i += 1;
    } else {
      let text = '';
      while (i < source.length && !/[\s;|(){},'"\u2018-\u201E#]/.test(at())) {
        text += at();
        i += 1;
      }
      if (text === '') {
        text = c;
        i += 1;
      }
      tokens.push({ kind: 'word', text });
    }
  }
  return tokens;
}

/**
 * How Windows PowerShell 5.1 reads a .ps1 file: UTF-8 when the file starts
 * with the UTF-8 byte order mark, otherwise the ANSI code page (Windows-1252
 * on Western European systems).
 */
export function readAsWindowsPowerShell51(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  return decodeWindows1252(bytes);
}

/**
 * Windows-1252's 0x80 to 0x9F (the rest is Latin-1). Written out because
 * Node's TextDecoder('windows-1252') decodes these bytes as Latin-1 control
 * characters, which would hide exactly the quote characters (0x91 to 0x94)
 * the attack relies on. Undefined positions map to themselves.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80]! : byte);
  return text;
}
