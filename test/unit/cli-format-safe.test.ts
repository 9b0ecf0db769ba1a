import { describe, expect, it } from 'vitest';
import { safe } from '../../src-main/cli/format/style';
import { renderFindings } from '../../src-main/cli/format/findings';
import { createStyle } from '../../src-main/cli/format/style';

/** Untrusted text reaches the terminal as data: no escape sequences, no reordering, no extra lines. */
describe('safe() for terminal output', () => {
  it('escapes C0/C1 controls, ESC included', () => {
    expect(safe('mx\u001b[2J\r\nevil\u009b')).toBe('mx\\x1b[2J\\x0d\\x0aevil\\x9b');
  });

  it('escapes bidirectional overrides and line separators, keeps other Unicode', () => {
    expect(safe('bücher\u202eexe.txt\u2028next')).toBe('bücher\\u{202e}exe.txt\\u{2028}next');
  });

  it('is applied to every server-provided part of a finding', () => {
    const lines = renderFindings([{ code: 'SMTP_HOSTNAME_DIFFERS', severity: 'warn', area: 'smtp', subject: 'mx', message: 'calls itself \u001b]0;owned\u0007', explanation: 'why', fix: 'fix \u202e', evidence: ['220 \u001b[31mred'] }], createStyle(false), { maxEvidence: 4, why: true });
    for (const raw of ['\u001b', '\u0007', '\u202e']) expect(lines.join('\n')).not.toContain(raw);
    expect(lines).toEqual([
      '  WARN  calls itself \\x1b]0;owned\\x07 [SMTP_HOSTNAME_DIFFERS]',
      '        | 220 \\x1b[31mred',
      '        Why: why',
      '        Fix: fix \\u{202e}',
    ]);
  });
});
