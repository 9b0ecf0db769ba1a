/**
 * How close does `check` get to the floor set by dependent lookups?
 *
 * Runs a check through a DNS proxy on loopback that adds a fixed delay to
 * every exchange, and prints wall time / round-trip time next to the longest
 * chain of dependent lookups for that domain (the floor: no implementation
 * can finish in fewer round trips). Target: at most 1.25 × the floor.
 *
 *   npx tsx bench/dns-check.ts [delayMs=50] [runs=5]
 */
import { runCheck } from '../src-main/engine/checks/index';
import { createResolver } from '../src-main/engine/dns/index';
import { systemClock } from '../src-main/engine/clock';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const delayMs = Number(process.argv[2] ?? 50);
const runs = Number(process.argv[3] ?? 7);

/**
 * The floor per domain, from its fixture zone:
 * - good.test: MX -> A of the MX host -> PTR of its address = 3 round trips (the PTR
 *   names the MX host again, whose address is already cached for the run, so the
 *   forward confirmation costs no exchange; DKIM: TXT -> CNAME target = 2; SPF:
 *   TXT -> include = 2).
 * - deepspf.test: SPF TXT -> include:one -> include:three -> a:h6 (void probe) = 4;
 *   MX -> A -> PTR = 3.
 */
const CASES: ReadonlyArray<{ domain: string; floor: number }> = [
  { domain: 'good.test', floor: 3 },
  { domain: 'deepspf.test', floor: 4 },
];

/** Groups request arrival times into waves one delay apart: the observed depth. */
function waves(arrivals: readonly number[], rtt: number): number {
  let count = 0;
  let waveStart = -Infinity;
  for (const t of [...arrivals].sort((a, b) => a - b)) {
    if (t - waveStart > rtt / 2) { count += 1; waveStart = t; }
  }
  return count;
}

// The fixture DNS server and the delay proxy run in a child process: only the check is measured here.
const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./support/dns-fixture-process.ts', import.meta.url)), String(delayMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: child.stdout! });
const waiting: ((line: string) => void)[] = [];
lines.on('line', (line) => waiting.shift()?.(line));
const nextLine = (): Promise<string> => new Promise((resolve) => waiting.push(resolve));
const port = Number((await nextLine()).replace(/^port /, ''));
const proxy = {
  port,
  async arrivals(): Promise<number[]> {
    const reply = nextLine();
    child.stdin!.write('arrivals\n');
    return JSON.parse((await reply).replace(/^arrivals /, '')) as number[];
  },
};
console.log(`check through a DNS proxy adding ${delayMs} ms per exchange, ${runs} runs each after one warm-up (median)`);
// Warm-up: the first run pays for JIT compilation and module start-up, not for the design.
await runCheck('good.test', { resolver: createResolver({ servers: [`127.0.0.1:${proxy.port}`], timeoutMs: 5000 }), clock: systemClock, timeoutMs: 5000 });
console.log('domain          lookups  wall ms  wall/RTT  floor  ratio  observed waves');
let worst = 0;
for (const { domain, floor } of CASES) {
  const walls: number[] = [];
  let lookups = 0;
  let observed = 0;
  for (let i = 0; i < runs; i++) {
    const before = (await proxy.arrivals()).length;
    const resolver = createResolver({ servers: [`127.0.0.1:${proxy.port}`], timeoutMs: 5000 });
    const started = performance.now();
    const report = await runCheck(domain, { resolver, clock: systemClock, timeoutMs: 5000 });
    walls.push(performance.now() - started);
    const arrivals = (await proxy.arrivals()).slice(before);
    lookups = arrivals.length;
    observed = waves(arrivals.map((t) => t - arrivals[0]!), delayMs);
    if (report.findings.some((f) => f.area === 'dns' && f.severity === 'fail')) throw new Error(`${domain}: DNS failures during the benchmark`);
  }
  walls.sort((a, b) => a - b);
  const wall = walls[Math.floor(walls.length / 2)]!;
  const perRtt = wall / delayMs;
  const ratio = perRtt / floor;
  worst = Math.max(worst, ratio);
  console.log(`${domain.padEnd(15)} ${String(lookups).padStart(7)}  ${wall.toFixed(0).padStart(7)}  ${perRtt.toFixed(2).padStart(8)}  ${String(floor).padStart(5)}  ${ratio.toFixed(2).padStart(5)}  ${String(observed).padStart(14)}`);
}
console.log(`worst ratio ${worst.toFixed(2)} (target <= 1.25) ${worst <= 1.25 ? 'MET' : 'NOT MET'}`);
child.stdin!.end();
await new Promise((resolve) => child.on('close', resolve));
