/**
 * Windows-1252, the ANSI code page Windows PowerShell 5.1 reads and writes on
 * Western European systems: 0x80 to 0x9F are typographic quotes, dashes, €
 * and the like; the rest is Latin-1.
 *
 * Written out because Node's TextDecoder('windows-1252') decodes 0x80 to 0x9F
 * as Latin-1 control characters: "‘Győr’" exported by `Out-File -Encoding
 * Default` would come back with invisible controls instead of its quotes.
 * Undefined positions (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to themselves.
 */
const HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte >= 0x80 && byte <= 0x9f ? (HIGH[byte - 0x80] ?? byte) : byte);
  return text;
}
