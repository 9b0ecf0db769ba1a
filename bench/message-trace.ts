/**
 * How long does the message trace take on the largest inputs it accepts, and
 * how much memory does it use? Three inputs at the limits: a 10 MB .eml (a
 * base64 attachment), headers with the most fields it reads (100 Received,
 * 2000 fields), and an Exchange NDR whose text is 1 MB. Each is analysed
 * with the article's profile and plan. Target: under 2 s and 300 MB peak
 * resident memory for each.
 *
 *   npx tsx bench/message-trace.ts [runs=5]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MESSAGE_LIMITS } from '../src-main/contract/message';
import { analyzeMessage } from '../src-main/engine/message/index';
import { buildPlan, parseProfile } from '../src-main/planner/index';

const runs = Number(process.argv[2] ?? 5);
const TARGET_MS = 2000;
const TARGET_MB = 300;
const CRLF = '\r\n';
const profile = parseProfile(readFileSync(fileURLToPath(new URL('../examples/john-bob-sun.json', import.meta.url)), 'utf8'), 'john-bob-sun.json');
const plan = buildPlan(profile);
const sample = readFileSync(fileURLToPath(new URL('../test/fixtures/message/onprem-via-connector.eml', import.meta.url)), 'latin1');
const [sampleHeaders] = sample.split(`${CRLF}${CRLF}`);

function bigEml(): Uint8Array {
  const boundary = 'bench-boundary';
  const head = `${sampleHeaders!.replace(/Content-Type: [^\r\n]+/, `Content-Type: multipart/mixed; boundary="${boundary}"`)}${CRLF}${CRLF}--${boundary}${CRLF}Content-Type: text/plain${CRLF}${CRLF}Hello.${CRLF}--${boundary}${CRLF}Content-Type: application/octet-stream${CRLF}Content-Transfer-Encoding: base64${CRLF}Content-Disposition: attachment; filename="data.bin"${CRLF}${CRLF}`;
  const tail = `${CRLF}--${boundary}--${CRLF}`;
  const room = MESSAGE_LIMITS.inputBytes - head.length - tail.length;
  const line = `${'QUJD'.repeat(19)}${CRLF}`;
  return new TextEncoder().encode(head + line.repeat(Math.floor(room / line.length)) + tail);
}

function manyHeaders(): Uint8Array {
  const received = Array.from({ length: 100 }, (_, i) => `Received: from relay${i}.example (relay${i}.example [192.0.2.${i % 250}]) by relay${i + 1}.example with ESMTPS id ${i}; Tue, 1 Dec 2026 10:${String(Math.floor(i / 2)).padStart(2, '0')}:00 +0000`).reverse();
  const filler = Array.from({ length: 1900 }, (_, i) => `X-Bench-${i}: ${'v'.repeat(200)}`);
  return new TextEncoder().encode(`${[...received, ...filler].join(CRLF)}${CRLF}${CRLF}`);
}

function bigNdr(): Uint8Array {
  const padding = 'The email system had a problem processing this message. '.repeat(Math.floor((1024 * 1024) / 58));
  return new TextEncoder().encode(`Delivery has failed to these recipients or groups:${CRLF}${padding}${CRLF}Diagnostic information for administrators:${CRLF}Generating server: DB9PR01MB1234.eurprd01.prod.exchangelabs.com${CRLF}Remote Server returned '550 5.7.64 TenantAttribution; Relay Access Denied ATTR36'${CRLF}Original message headers:${CRLF}${sampleHeaders}${CRLF}`);
}

const CASES: ReadonlyArray<{ readonly name: string; readonly input: Uint8Array }> = [
  { name: '10 MB .eml with an attachment', input: bigEml() },
  { name: '100 Received + 2000 fields', input: manyHeaders() },
  { name: '1 MB NDR text', input: bigNdr() },
];

console.log(`message trace on inputs at the limits, ${runs} runs each after one warm-up (median); peak RSS of this process`);
console.log(`before any analysis (Node, tsx, the inputs built): RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
let allMet = true;
for (const c of CASES) {
  await analyzeMessage(c.input, { profile, plan });
  const times: number[] = [];
  let hops = 0;
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    const analysis = await analyzeMessage(c.input, { profile, plan });
    times.push(performance.now() - start);
    hops = analysis.hops.length;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const met = median <= TARGET_MS && peakMb <= TARGET_MB;
  allMet &&= met;
  console.log(`${c.name.padEnd(32)} ${(c.input.length / 1024 / 1024).toFixed(1).padStart(5)} MB  ${hops.toString().padStart(3)} hops  median ${median.toFixed(0).padStart(5)} ms  peak RSS ${peakMb.toFixed(0)} MB`);
}
console.log(`target: each under ${TARGET_MS} ms and ${TARGET_MB} MB: ${allMet ? 'MET' : 'NOT MET'}`);
