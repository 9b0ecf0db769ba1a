import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup of the node project: builds the command (out/cli) from
 * the current sources once before the tests, so tests that run the real
 * `bin/mailflow-doctor.js` never run a stale build. Takes well under a second.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
}
