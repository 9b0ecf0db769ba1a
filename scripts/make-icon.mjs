#!/usr/bin/env node
/**
 * Draws the app icon (assets/icon.png, 512x512, and assets/icon.svg) with no
 * image library: shapes as signed distance functions, anti-aliased, written
 * as a PNG with node:zlib. Run again after changing the design:
 *   node scripts/make-icon.mjs
 */
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SIZE = 512;
const out = fileURLToPath(new URL('../assets/', import.meta.url));
mkdirSync(out, { recursive: true });

const clamp = (v, lo = 0, hi = 1) => Math.min(hi, Math.max(lo, v));
/** Coverage from a signed distance (negative inside), one pixel of anti-aliasing. */
const cover = (d) => clamp(0.5 - d);
const roundedRect = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const segment = (x, y, ax, ay, bx, by) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = clamp((px * dx + py * dy) / (dx * dx + dy * dy));
  return Math.hypot(px - dx * t, py - dy * t);
};
const blend = (base, color, alpha) => base.map((c, i) => c + (color[i] - c) * alpha);

const pixels = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  pixels[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const px = x + 0.5, py = y + 0.5;
    // Background: a rounded square, blue to teal from top to bottom.
    const bg = cover(roundedRect(px, py, 256, 256, 240, 240, 96));
    const t = py / SIZE;
    let rgb = [0x1d + (0x0f - 0x1d) * t, 0x5f + (0x8a - 0x5f) * t, 0xd1 + (0x9e - 0xd1) * t];
    // Envelope body (white) with its flap (blue lines).
    const env = cover(roundedRect(px, py, 236, 250, 150, 105, 18));
    rgb = blend(rgb, [255, 255, 255], env);
    const flap = Math.min(segment(px, py, 96, 160, 236, 262), segment(px, py, 236, 262, 376, 160));
    rgb = blend(rgb, [0x1d, 0x5f, 0xd1], cover(flap - 9) * env);
    // Badge: a green circle with a white check mark, bottom right.
    const badge = cover(Math.hypot(px - 372, py - 362) - 92);
    rgb = blend(rgb, [255, 255, 255], cover(Math.hypot(px - 372, py - 362) - 104));
    rgb = blend(rgb, [0x1e, 0x9e, 0x4a], badge);
    const check = Math.min(segment(px, py, 326, 364, 358, 396), segment(px, py, 358, 396, 420, 326));
    rgb = blend(rgb, [255, 255, 255], cover(check - 14) * badge);
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    pixels[o] = Math.round(rgb[0]);
    pixels[o + 1] = Math.round(rgb[1]);
    pixels[o + 2] = Math.round(rgb[2]);
    pixels[o + 3] = Math.round(255 * clamp(bg + cover(Math.hypot(px - 372, py - 362) - 104)));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(pixels, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(`${out}icon.png`, png);

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1d5fd1"/><stop offset="1" stop-color="#0f8a9e"/></linearGradient></defs>
  <rect x="16" y="16" width="480" height="480" rx="96" fill="url(#bg)"/>
  <rect x="86" y="145" width="300" height="210" rx="18" fill="#fff"/>
  <polyline points="96,160 236,262 376,160" fill="none" stroke="#1d5fd1" stroke-width="18" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="372" cy="362" r="104" fill="#fff"/>
  <circle cx="372" cy="362" r="92" fill="#1e9e4a"/>
  <polyline points="326,364 358,396 420,326" fill="none" stroke="#fff" stroke-width="28" stroke-linecap="round" stroke-linejoin="round"/>
</svg>
`;
writeFileSync(`${out}icon.svg`, svg);
process.stdout.write(`wrote ${out}icon.png (${png.length} bytes) and icon.svg\n`);
