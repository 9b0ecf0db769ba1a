#!/usr/bin/env node
/**
 * The `mailflow-doctor` command: runs the bundle built from src-main/cli
 * (scripts/build-cli.mjs, run by `npm run build` and on `npm install`).
 * Nothing here is compiled at start-up, so the command starts as fast as Node.
 */
let cli;
try {
  cli = await import('../out/cli/mailflow-doctor.mjs');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('mailflow-doctor.mjs')) throw error;
  process.stderr.write('mailflow-doctor: the command is not built yet; run `npm run build:cli` (or `npm install`) in its folder.\n');
  process.exit(3);
}
process.exitCode = await cli.main(process.argv.slice(2));
