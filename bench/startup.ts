/**
 * `npm run bench:startup`: how fast the built command starts, next to Node
 * itself, in one run on one machine (issue 12's targets):
 *
 *   node -e 0                                   the floor: Node starting and exiting
 *   mailflow-doctor --version                   target ≤ 1.5 × the floor
 *   mailflow-doctor --help
 *   mailflow-doctor probe 127.0.0.1:<port>      one loopback SMTP server with STARTTLS:
 *                                               target ≤ 2.5 × the floor and < 70 MB peak RSS
 *
 *   node --import tsx bench/startup.ts [runs=30]
 *
 * Times come from hyperfine (`-N`, no shell) when it is installed, else from a
 * loop of /usr/bin/time runs (median). Then interleaved rounds (every case in
 * turn, under /usr/bin/time) give each command's paired ratio to `node -e 0`
 * (the median of per-round ratios: what the targets are judged by, since the
 * machine's load drifts during a run) and the peak RSS (`/usr/bin/time -f %M`,
 * GNU time; the maximum resident set of the process). The SMTP server is the
 * minimal immediate one from the test support (smtp-server pauses 100 ms before
 * its greeting, which would measure the server), with a certificate from a CA
 * made here and passed with --ca-file, so the probe completes a verified TLS
 * handshake. The command is built first (scripts/build-cli.mjs).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createCa, fullChain, issueCert } from '../test/support/pki';
import { startMinimalSmtpServer } from '../test/support/smtp-servers';

const runsArg = process.argv[2] ?? '30';
if (!/^\d+$/.test(runsArg) || Number(runsArg) < 3) {
  console.error(`runs must be a whole number of at least 3, not ${JSON.stringify(runsArg)}`);
  process.exit(2);
}
const RUNS = Number(runsArg);
const root = fileURLToPath(new URL('../', import.meta.url));
const bin = join(root, 'bin/mailflow-doctor.js');
const run = promisify(execFile);
const TIME = '/usr/bin/time';

/** Runs a command to its end without blocking this process's event loop (the SMTP server lives here). */
function spawnAndWait(command: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function hasHyperfine(): Promise<boolean> {
  try {
    await run('hyperfine', ['--version']);
    return true;
  } catch {
    return false;
  }
}

interface Case { readonly name: string; readonly argv: readonly string[] }
/** Wall time, and CPU time (user + system: what the process itself spent, less coloured by other load on the machine). */
interface Timing { readonly medianMs: number; readonly meanMs: number; readonly stddevMs: number; readonly cpuMs: number }

async function timeWithHyperfine(cases: readonly Case[], folder: string): Promise<Timing[]> {
  const exported = join(folder, 'hyperfine.json');
  const quote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`);
  const result = await spawnAndWait('hyperfine', ['-N', '--warmup', '3', '--runs', String(RUNS), '--export-json', exported, '--style', 'none',
    ...cases.flatMap((c) => ['--command-name', c.name, c.argv.map(quote).join(' ')])]);
  if (result.code !== 0) throw new Error(`hyperfine failed: ${result.stderr}`);
  const data = JSON.parse(readFileSync(exported, 'utf8')) as { results: Array<{ median: number; mean: number; stddev: number; user: number; system: number }> };
  return data.results.map((r) => ({ medianMs: r.median * 1000, meanMs: r.mean * 1000, stddevMs: r.stddev * 1000, cpuMs: (r.user + r.system) * 1000 }));
}

/**
 * One run under GNU time: wall time, peak RSS in KiB and CPU time. The wall
 * time is taken here around the run (GNU time's is in hundredths of a second,
 * too coarse next to a 60 ms `node -e 0`); starting GNU time adds the same
 * few milliseconds to every case.
 */
async function timeOnce(argv: readonly string[]): Promise<{ wallMs: number; rssKiB: number; cpuMs: number }> {
  const started = performance.now();
  const result = await spawnAndWait(TIME, ['-f', 'MFD %M %U %S', ...argv]);
  const wallMs = performance.now() - started;
  const line = result.stderr.split('\n').find((l) => l.startsWith('MFD '));
  if (result.code !== 0 || !line) throw new Error(`${argv.join(' ')} failed (exit ${result.code}): ${result.stderr.slice(0, 500)}`);
  const [, rss = '', user = '', system = ''] = line.split(' ');
  return { wallMs, rssKiB: Number(rss), cpuMs: (Number(user) + Number(system)) * 1000 };
}

async function timeWithLoop(cases: readonly Case[]): Promise<Timing[]> {
  const timings: Timing[] = [];
  for (const c of cases) {
    for (let i = 0; i < 3; i += 1) await timeOnce(c.argv);
    const runs: Array<{ wallMs: number; cpuMs: number }> = [];
    for (let i = 0; i < RUNS; i += 1) runs.push(await timeOnce(c.argv));
    const walls = runs.map((r) => r.wallMs);
    const mean = walls.reduce((a, b) => a + b, 0) / walls.length;
    timings.push({ medianMs: median(walls), meanMs: mean, stddevMs: Math.sqrt(walls.reduce((a, b) => a + (b - mean) ** 2, 0) / walls.length), cpuMs: runs.reduce((a, r) => a + r.cpuMs, 0) / runs.length });
  }
  return timings;
}

/**
 * Rounds of every case in turn under GNU time (the order rotates each round),
 * so each command's wall time can be divided by a `node -e 0` run made moments
 * before or after it: the median of those per-round ratios holds when the
 * machine's load drifts during the run, which a ratio of two medians taken
 * minutes apart does not. Also the peak RSS of each case (the highest seen).
 */
async function timePaired(cases: readonly Case[]): Promise<{ readonly rounds: number; readonly ratios: ReadonlyArray<{ median: number; min: number; max: number }>; readonly peakRssKiB: readonly number[] }> {
  const rounds = Math.max(5, Math.min(RUNS, 30));
  const walls: number[][] = cases.map(() => []);
  const peakRssKiB = cases.map(() => 0);
  for (let round = 0; round < rounds; round += 1) {
    for (let k = 0; k < cases.length; k += 1) {
      const i = (round + k) % cases.length;
      const measured = await timeOnce(cases[i]!.argv);
      walls[i]!.push(measured.wallMs);
      peakRssKiB[i] = Math.max(peakRssKiB[i]!, measured.rssKiB);
    }
  }
  const ratios = walls.map((caseWalls) => {
    const perRound = caseWalls.map((wall, round) => wall / walls[0]![round]!);
    return { median: median(perRound), min: Math.min(...perRound), max: Math.max(...perRound) };
  });
  return { rounds, ratios, peakRssKiB };
}

async function main(): Promise<void> {
  if (!existsSync(TIME)) throw new Error(`${TIME} (GNU time) is needed for peak RSS: apt-get install time`);
  await run(process.execPath, [join(root, 'scripts/build-cli.mjs')]);
  const folder = mkdtempSync(join(tmpdir(), 'mailflow-bench-startup-'));
  const ca = createCa({ commonName: 'Startup Bench Root' });
  const leaf = issueCert(ca, { commonName: 'mx.bench.test', altNames: ['mx.bench.test'] });
  const caFile = join(folder, 'root.pem');
  writeFileSync(caFile, ca.certPem);
  const smtp = await startMinimalSmtpServer({ name: 'mx.bench.test', key: leaf.keyPem, cert: fullChain(leaf) });
  try {
    const node = process.execPath;
    const cases: Case[] = [
      { name: 'node -e 0', argv: [node, '-e', '0'] },
      { name: 'mailflow-doctor --version', argv: [node, bin, '--version'] },
      { name: 'mailflow-doctor --help', argv: [node, bin, '--help'] },
      { name: 'mailflow-doctor probe (STARTTLS, loopback)', argv: [node, bin, 'probe', `127.0.0.1:${smtp.port}`, '--ca-file', caFile, '--no-color'] },
    ];
    // The probe must really succeed (STARTTLS and a verified certificate), or its time means nothing.
    const check = await spawnAndWait(node, [bin, 'probe', `127.0.0.1:${smtp.port}`, '--ca-file', caFile, '--json']);
    const probe = JSON.parse(check.stdout) as { probes: Array<{ starttls: boolean; tls: { version: string } | null; findings: Array<{ severity: string }> }> };
    const first = probe.probes[0];
    if (check.code !== 0 || !first?.starttls || !first.tls || first.findings.some((f) => f.severity === 'fail')) throw new Error(`the probe did not succeed: ${check.stdout.slice(0, 800)} ${check.stderr}`);

    const tool = (await hasHyperfine()) ? 'hyperfine' : '/usr/bin/time loop';
    const timings = tool === 'hyperfine' ? await timeWithHyperfine(cases, folder) : await timeWithLoop(cases);
    const paired = await timePaired(cases);
    const floor = timings[0]!.medianMs;
    const mb = (kib: number): string => (kib / 1024).toFixed(1);
    console.log(`\nStartup, ${RUNS} runs each (${tool}), then ${paired.rounds} interleaved rounds under ${TIME}; node ${process.version}, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    const cpuFloor = timings[0]!.cpuMs;
    console.log('| command | median ms | mean ± σ ms | × node -e 0 | CPU ms (user+sys) | CPU × node -e 0 | paired × node -e 0 (min–max) | peak RSS MB |');
    console.log('|:--|--:|--:|--:|--:|--:|--:|--:|');
    cases.forEach((c, i) => {
      const t = timings[i]!;
      const ratio = paired.ratios[i]!;
      console.log(`| ${c.name} | ${t.medianMs.toFixed(1)} | ${t.meanMs.toFixed(1)} ± ${t.stddevMs.toFixed(1)} | ${(t.medianMs / floor).toFixed(2)} | ${t.cpuMs.toFixed(1)} | ${(t.cpuMs / cpuFloor).toFixed(2)} | ${ratio.median.toFixed(2)} (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)}) | ${mb(paired.peakRssKiB[i]!)} |`);
    });
    // The verdict uses the paired ratio: each command next to a node -e 0 run moments apart, so load that comes and goes during the run colours both alike.
    const versionRatio = paired.ratios[1]!.median;
    const probeRatio = paired.ratios[3]!.median;
    const probeMb = paired.peakRssKiB[3]! / 1024;
    console.log('');
    console.log(`--version: paired ratio ${versionRatio.toFixed(2)} (target ≤ 1.5): ${versionRatio <= 1.5 ? 'MET' : 'NOT MET'}`);
    console.log(`probe: paired ratio ${probeRatio.toFixed(2)} (target ≤ 2.5): ${probeRatio <= 2.5 ? 'MET' : 'NOT MET'}; peak RSS ${probeMb.toFixed(1)} MB (target < 70): ${probeMb < 70 ? 'MET' : 'NOT MET'}`);
  } finally {
    await smtp.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
