/**
 * The partner workbench at scale: how many partner domains per second does a
 * run check, and does its memory stay flat as the list grows?
 *
 * Two cases on loopback, servers in a child process (bench/support/partner-lab-process.ts):
 * - shared: every domain's two MX are among 10 hosted servers (each probed once per run);
 * - distinct: every domain has its own MX name (one probe each), spread over 8 servers.
 * Each case runs with 1,000 and 5,000 domains; prints domains/s, probes, peak RSS
 * and heap (RSS sampled every 10 ms, heap every 250 ms) for each, and whether the targets are met:
 * ≥ 200 domains/s shared, ≥ 100 domains/s distinct, peak RSS < 300 MB, and
 * peak RSS at 5,000 within 20% of 1,000 (flat).
 *
 *   node --import tsx bench/partners.ts          # PARTNERS_CONCURRENCY=N to change the default of 32
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import type { PartnerEntry } from '../src-main/contract/partners';
import { systemClock } from '../src-main/engine/clock';
import { createResolver } from '../src-main/engine/dns/index';
import { runPartners } from '../src-main/engine/partners/run';
import { timeoutsFromStep } from '../src-main/engine/smtp/index';
import { composePartnerMessage } from '../src-main/report/partner-message';

const concurrency = Number(process.env['PARTNERS_CONCURRENCY'] ?? 32);
// A forced GC before each run and before reading the heap kept: without --expose-gc on the command line.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const SIZES = [1000, 5000] as const;
const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./support/partner-lab-process.ts', import.meta.url)), String(Math.max(...SIZES))], { stdio: ['pipe', 'pipe', 'inherit'] });
const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
const lab = JSON.parse(first) as { dns: string; port: number; caPem: string };
const caSubject = 'CN=Partner Bench Root, O=Mailflow Doctor Tests';

let peakRss = 0;
let peakHeap = 0;
// process.memoryUsage() walks the heap spaces: too dear every 10 ms; rss() alone is cheap.
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, 10);
const heapSampler = setInterval(() => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); }, 250);

async function run(kind: 'shared' | 'distinct', size: number): Promise<{ rate: number; rss: number; heap: number; retained: number; probes: number; statuses: string }> {
  const partners: PartnerEntry[] = Array.from({ length: size }, (_, i) => {
    const domain = kind === 'shared' ? `s${i}.shared.bench` : `d${i}.distinct.bench`;
    return { domain, domainUnicode: domain, direction: 'outbound', line: i + 1 };
  });
  gc();
  peakRss = process.memoryUsage().rss;
  peakHeap = process.memoryUsage().heapUsed;
  let answers = 0;
  let bytes = 0;
  const t0 = performance.now();
  const summary = await runPartners(partners, {
    newResolver: () => createResolver({ servers: [lab.dns], timeoutMs: 5000 }),
    clock: systemClock,
    port: lab.port,
    concurrency,
    rehearsalAnchors: [caSubject],
    probe: { heloName: 'bench.example', timeouts: timeoutsFromStep(10_000), trust: [lab.caPem], clock: systemClock },
    compose: composePartnerMessage,
    // Stream each answer out (serialised, as --format jsonl does) and keep nothing.
    onResult: (r) => { answers += 1; bytes += JSON.stringify(r).length; },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (answers !== size) throw new Error(`${kind} ${size}: ${answers} answers`);
  gc();
  const retained = process.memoryUsage().heapUsed;
  const statuses = Object.entries(summary.counts).filter(([, n]) => n > 0).map(([s, n]) => `${s} ${n}`).join(', ');
  void bytes;
  return { rate: size / seconds, rss: peakRss, heap: peakHeap, retained, probes: summary.probes, statuses };
}

const MB = 1024 * 1024;
const results: Record<string, Awaited<ReturnType<typeof run>>> = {};
// Warm-up: loads the trust store and JIT-compiles the probe, as a real run's first seconds would.
await run('shared', 100);
for (const kind of ['shared', 'distinct'] as const) {
  for (const size of SIZES) {
    const r = await run(kind, size);
    results[`${kind}-${size}`] = r;
    console.log(`${kind.padEnd(8)} ${String(size).padStart(5)} domains: ${r.rate.toFixed(0).padStart(5)} domains/s, ${String(r.probes).padStart(5)} probes, peak RSS ${(r.rss / MB).toFixed(0)} MB, peak heap ${(r.heap / MB).toFixed(0)} MB, heap after GC ${(r.retained / MB).toFixed(0)} MB (${r.statuses})`);
  }
}
clearInterval(sampler);
clearInterval(heapSampler);
const met = (ok: boolean): string => (ok ? 'MET' : 'NOT MET');
const shared = Math.min(results['shared-1000']!.rate, results['shared-5000']!.rate);
const distinct = Math.min(results['distinct-1000']!.rate, results['distinct-5000']!.rate);
const rss = Math.max(...Object.values(results).map((r) => r.rss));
const growth = Math.max(results['shared-5000']!.rss / results['shared-1000']!.rss, results['distinct-5000']!.rss / results['distinct-1000']!.rss);
console.log(`target shared ≥ 200 domains/s: ${shared.toFixed(0)} ${met(shared >= 200)}`);
console.log(`target distinct ≥ 100 domains/s: ${distinct.toFixed(0)} ${met(distinct >= 100)}`);
console.log(`target peak RSS < 300 MB: ${(rss / MB).toFixed(0)} MB ${met(rss < 300 * MB)}`);
console.log(`target memory flat (peak RSS 5,000 / 1,000 ≤ 1.2): ${growth.toFixed(2)} ${met(growth <= 1.2)}`);
const retainedGrowth = Math.max(results['shared-5000']!.retained / results['shared-1000']!.retained, results['distinct-5000']!.retained / results['distinct-1000']!.retained);
console.log(`heap kept after GC, 5,000 / 1,000: ${retainedGrowth.toFixed(2)} (1.00 = nothing kept per partner)`);
child.stdin.end();
