import { decodeWindows1252 } from '../../src-main/text/windows-1252';

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
