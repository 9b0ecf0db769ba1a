/**
 * `npm run bench`: every benchmark in turn, each in its own child process (so
 * one's servers, caches and heap do not colour the next one's figures), with
 * their output shown as it comes and their result lines repeated at the end.
 *
 *   node --import tsx bench/run-all.ts [delayMs]      # the delay goes to every benchmark (default: each one's own)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHMARKS = ['dns-check.ts', 'smtp-check.ts', 'message-trace.ts', 'plan-import.ts', 'partners.ts'] as const;
const delayArg = process.argv[2];
if (delayArg !== undefined && !/^\d+$/.test(delayArg)) {
  console.error(`delayMs must be a whole number of milliseconds, not ${JSON.stringify(delayArg)}`);
  process.exit(2);
}

/** Lines that carry a benchmark's verdict, repeated in the summary. */
const RESULT_LINE = /\bratio\b.*\b(MET|NOT MET)\b|target/i;

function runOne(file: string): Promise<{ code: number | null; results: string[] }> {
  return new Promise((resolve) => {
    const path = fileURLToPath(new URL(file, import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', path, ...(delayArg ? [delayArg] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    const results: string[] = [];
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      results.push(...lines.filter((line) => RESULT_LINE.test(line)));
    });
    child.on('close', (code) => {
      if (pending !== '' && RESULT_LINE.test(pending)) results.push(pending);
      resolve({ code, results });
    });
  });
}

const summary: string[] = [];
let failed = false;
for (const file of BENCHMARKS) {
  console.log(`\n== bench/${file} ==`);
  const { code, results } = await runOne(file);
  if (code !== 0) failed = true;
  summary.push(`bench/${file}${code === 0 ? '' : ` (exited with ${code})`}`, ...results.map((line) => `  ${line}`));
}
console.log(`\n== summary ==\n${summary.join('\n')}`);
process.exitCode = failed ? 1 : 0;
