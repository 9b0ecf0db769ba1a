#!/usr/bin/env node
/**
 * `npm start`, step one: is Electron's binary here? Checked WITHOUT importing
 * `electron` (importing it from plain Node starts a download, and a failed
 * download kills the process). npm 11 does not run install scripts by default,
 * so a fresh checkout may lack the binary: try Electron's own installer once,
 * and if that fails say what to do instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const electronDir = fileURLToPath(new URL('../node_modules/electron/', import.meta.url));

export function electronBinaryPresent(dir = electronDir) {
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  const relative = readFileSync(pathFile, 'utf8').trim();
  return relative !== '' && existsSync(join(dir, 'dist', relative));
}

function main() {
  if (!existsSync(join(electronDir, 'package.json'))) {
    fail('Electron is not installed (run "npm install" first).');
    return;
  }
  if (electronBinaryPresent()) return;
  process.stdout.write('Electron\'s program is not downloaded yet; fetching it now (node node_modules/electron/install.js)...\n');
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], timeout: 5 * 60 * 1000, encoding: 'utf8' });
  if (result.status === 0 && electronBinaryPresent()) return;
  // The installer's own stack trace helps nobody; its first line says what went wrong.
  const why = (result.stderr ?? '').split('\n').find((line) => line.trim() !== '')?.trim();
  fail(`Electron could not be downloaded on this machine${why ? ` (${why.slice(0, 200)})` : ''}.`);
}

function fail(reason) {
  process.stderr.write(
    `\n${reason}\n\nRun "npm run web" for the same app in your browser: it serves Mailflow Doctor on 127.0.0.1 and opens it.\n`,
  );
  process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
