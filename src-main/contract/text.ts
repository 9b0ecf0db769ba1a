/**
 * The one sanitiser for untrusted text: banners, EHLO lines, certificate
 * fields, DNS records, imported files, message headers.
 *
 * It is data, shown to a person: C0 and C1 control characters (ESC, which
 * drives terminals; OSC 8 links; screen clears) become `\xNN`; bidirectional
 * controls (U+202E RIGHT-TO-LEFT OVERRIDE and friends), which reorder what the
 * reader sees, and line or paragraph separators become `\u{NNNN}`. Everything
 * else, accents and other scripts included, stays as it is. Used by the CLI's
 * output and errors, both report renderers and the EHLO and certificate
 * readers. Pure: the renderer uses it too.
 */
export function visibleText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
      .replace(/[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)
  );
}

/** `visibleText` for text of several lines: line breaks and tabs stay, everything else is made visible. */
export function visibleLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.split('\t').map(visibleText).join('\t'))
    .join('\n');
}
