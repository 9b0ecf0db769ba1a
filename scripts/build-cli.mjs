#!/usr/bin/env node
/**
 * Builds the `mailflow-doctor` command: src-main/cli/main.ts bundled by esbuild
 * into out/cli/ (ESM for Node 20). Everything the command imports, packages
 * included, is bundled: the installed command needs no node_modules and starts
 * without resolving packages. Each command's implementation is its own chunk,
 * loaded only when that command runs (see src-main/cli/commands/index.ts), so
 * `--help` and `--version` parse one small file.
 *
 * Run by `npm run build`, `npm run build:cli` and `prepare` (so `npm install`
 * in a clean clone, and `npm pack`, leave a working command). The sources stay
 * the single truth: out/ is never committed.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Whether esbuild resolves this import for a file of the package `name` (paths with / or \\, so on Windows too). */
const importedFrom = (args, name) => args.importer.replace(/\\/g, '/').includes(`/node_modules/${name}/`);

/**
 * zod re-exports every one of its ~60 message locales as `z.locales`; the
 * product uses none of them (its messages are its own, and zod's default is
 * English). Bundled, they were a third of the schema library a command
 * compiles at start. This plugin gives the bundle a locales module with
 * English only, so `z.locales.en` still exists.
 */
/**
 * The engine uses only dns2's `Packet` (its own exchanges do the networking,
 * with deadlines); dns2's entry also loads its client and its UDP, TCP and
 * DoH servers. In the bundle, `dns2` is the packet codec alone.
 */
const dns2PacketOnly = {
  name: 'dns2-packet-only',
  setup(build) {
    build.onResolve({ filter: /^dns2$/ }, () => ({ path: 'dns2-packet', namespace: 'dns2-packet' }));
    build.onLoad({ filter: /.*/, namespace: 'dns2-packet' }, () => ({
      contents: `import Packet from ${JSON.stringify(`${root}node_modules/dns2/packet.js`)}; export default { Packet };`,
      resolveDir: root,
      loader: 'js',
    }));
  },
};

/**
 * commander loads node:child_process at start for executable subcommands
 * (`git-style` commands in separate files), which this command does not have:
 * 2 to 5 ms of every start, `--version` included. In the bundle, commander's
 * child_process is a stand-in that loads the real module only if `spawn` is
 * ever called.
 */
const commanderChildProcessOnUse = {
  name: 'commander-child-process-on-use',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      importedFrom(args, 'commander') ? { path: 'child-process-on-use', namespace: 'commander-child-process' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'commander-child-process' }, () => ({
      contents: "module.exports = { spawn: (...args) => require('node:child_process').spawn(...args) };",
      loader: 'js',
    }));
  },
};

const englishZodLocalesOnly = {
  name: 'english-zod-locales-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      importedFrom(args, 'zod') ? { path: 'zod-locales-en', namespace: 'zod-locales' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: root,
      loader: 'js',
    }));
  },
};

/** Builds into `outdir` (default out/cli) and returns esbuild's metafile (tests read the import graph). */
export async function buildCli(outdir = `${root}out/cli`) {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { 'mailflow-doctor': 'src-main/cli/main.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    // Chunks sit next to the entry, at the depth of the sources, so
    // `import.meta.url` paths in bundled code (package.json, the bridge's
    // out/renderer) resolve as they do from src-main/<folder>/.
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Electron is never part of the command (importing it from plain Node starts a download).
    external: ['electron', 'electron-store'],
    // Bundled CommonJS packages (dns2) call require() for Node's own modules.
    banner: { js: "import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);" },
    minifySyntax: true,
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
    plugins: [englishZodLocalesOnly, dns2PacketOnly, commanderChildProcessOnUse],
  });
  return result.metafile;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const metafile = await buildCli(process.argv[2]);
  const outputs = Object.values(metafile.outputs);
  const kib = Math.round(outputs.reduce((sum, o) => sum + o.bytes, 0) / 1024);
  process.stderr.write(`out/cli: ${outputs.length} files, ${kib} KiB\n`);
}
