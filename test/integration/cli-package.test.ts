import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../scripts/build-cli.mjs';
import { PlanSchema } from '../../src-main/contract/planner';
import { ProbeReportSchema } from '../../src-main/contract/probe';
import { createCa, fullChain, issueCert } from '../support/pki';
import { startSmtpFixture, type RunningServer } from '../support/smtp-servers';
import { useTempDirs } from '../support/temp-dirs';

/**
 * The built command (out/cli, built from these sources by the node project's
 * global setup) and the npm package: what users run after `npm install` or
 * `npm install -g mailflow-doctor-<version>.tgz`.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/mailflow-doctor.js');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const exec = promisify(execFile);
const tempDir = useTempDirs('mailflow-cli-package-');

/** The environment without the npm_* variables of an enclosing `npm test`, which would change what npm does. */
const cleanEnv = (): NodeJS.ProcessEnv => ({ ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key))), NO_COLOR: '1' });

async function run(file: string, args: readonly string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(file === bin ? process.execPath : file, file === bin ? [bin, ...args] : [...args], { cwd, env: cleanEnv(), timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the built command', () => {
  it('prints the version for --version and -V', async () => {
    for (const flag of ['--version', '-V']) {
      const { code, stdout } = await run(bin, [flag]);
      expect(code).toBe(0);
      expect(stdout).toBe(`${version}\n`);
    }
  });

  /** Every file `chunk` loads before any dynamic import(): its static import closure, and the Node modules it imports. */
  function staticClosure(outputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }>; inputs: Record<string, unknown> }>, chunks: readonly string[]): { inputs: string[]; externals: Set<string> } {
    const loaded = new Set<string>(chunks);
    const externals = new Set<string>();
    for (const file of loaded) {
      for (const imported of outputs[file]?.imports ?? []) {
        if (imported.kind !== 'import-statement') continue;
        if (imported.external) externals.add(imported.path);
        else loaded.add(imported.path);
      }
    }
    return { inputs: [...loaded].flatMap((o) => Object.keys(outputs[o]?.inputs ?? {})), externals };
  }

  it('loads nothing heavy for --help and --version: no engine, planner, zod, dns2 or TLS before a command runs', async () => {
    const metafile = await buildCli(tempDir());
    const outputs = metafile.outputs;
    const entry = Object.keys(outputs).find((o) => outputs[o]?.entryPoint === 'src-main/cli/main.ts');
    expect(entry).toBeDefined();
    const { inputs, externals } = staticClosure(outputs, [entry!]);
    expect(inputs).toContain('src-main/cli/main.ts');
    expect(inputs.filter((i) => /node_modules\/(zod|dns2)\/|src-main\/(engine|planner|report|bridge|store|handlers)\/|src-main\/cli\/commands\/(?!index)/.test(i))).toEqual([]);
    expect([...externals].filter((e) => /^node:(tls|net|dgram|dns|http|https|crypto)$/.test(e))).toEqual([]);
    // Each command is its own chunk, loaded by a dynamic import().
    expect(outputs[entry!]?.imports.filter((i) => i.kind === 'dynamic-import').length).toBeGreaterThanOrEqual(6);
  });

  it('starts --version without loading node:child_process (commander\'s, for subcommands in other files, is loaded only if used)', async () => {
    // process.moduleLoadList: the Node built-ins this process has loaded.
    const script = `const cli = await import(${JSON.stringify(join(root, 'out/cli/mailflow-doctor.mjs'))}); await cli.main(['--version']); console.log(JSON.stringify(process.moduleLoadList));`;
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], { env: cleanEnv(), timeout: 30_000 });
    const [printed, loadList] = stdout.trim().split('\n');
    expect(printed).toBe(version);
    const builtins = JSON.parse(loadList ?? 'null') as string[];
    expect(builtins).toContain('NativeModule events');
    expect(builtins.filter((name) => /child_process|NativeModule (tls|_tls_wrap|crypto)$/.test(name))).toEqual([]);
  });

  it('loads no zod for a probe: its options are checked by the contract\'s plain rules (issue 12: loading zod cost a probe about 14 ms)', async () => {
    const metafile = await buildCli(tempDir());
    const outputs = metafile.outputs;
    const entry = Object.keys(outputs).find((o) => outputs[o]?.entryPoint === 'src-main/cli/main.ts');
    const probeChunk = Object.keys(outputs).find((o) => 'src-main/cli/commands/probe.ts' in (outputs[o]?.inputs ?? {}));
    expect(entry).toBeDefined();
    expect(probeChunk).toBeDefined();
    const { inputs } = staticClosure(outputs, [entry!, probeChunk!]);
    expect(inputs).toContain('src-main/engine/smtp/probe-session.ts');
    expect(inputs).toContain('src-main/contract/settings.ts');
    expect(inputs.filter((i) => i.startsWith('node_modules/zod/'))).toEqual([]);
    // No contract module that builds schemas (each imports zod), even one whose zod code went elsewhere.
    const contractModules = inputs.filter((i) => i.startsWith('src-main/contract/'));
    expect(contractModules.filter((file) => /from 'zod(\/[\w/]+)?';/.test(readFileSync(join(root, file), 'utf8')))).toEqual([]);
  });

  it('plans the example profile, offline', async () => {
    const { code, stdout } = await run(bin, ['plan', join(root, 'examples/john-bob-sun.json'), '--format', 'json']);
    expect(code).toBe(0);
    expect(PlanSchema.parse(JSON.parse(stdout)).connectors.length).toBeGreaterThan(0);
  });

  describe('probe of a loopback server with STARTTLS', () => {
    let smtp: RunningServer;
    let caFile: string;
    beforeAll(async () => {
      const ca = createCa({ commonName: 'Built CLI Test Root' });
      const leaf = issueCert(ca, { commonName: 'mx.built.test', altNames: ['mx.built.test'] });
      smtp = await startSmtpFixture({ name: 'mx.built.test', key: leaf.keyPem, cert: fullChain(leaf) });
      caFile = join(mkdtempSync(join(tmpdir(), 'mailflow-built-ca-')), 'root.pem');
      writeFileSync(caFile, ca.certPem);
    });
    afterAll(async () => { await smtp?.close(); });

    it('upgrades with STARTTLS and trusts the certificate from --ca-file', async () => {
      const { code, stdout, stderr } = await run(bin, ['probe', `127.0.0.1:${smtp.port}`, '--ca-file', caFile, '--json']);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const document = JSON.parse(stdout) as { probes: unknown[] };
      const [report] = document.probes.map((p) => ProbeReportSchema.parse(p));
      expect(report?.starttls).toBe(true);
      expect(report?.tls?.version).toMatch(/^TLSv1\.[23]$/);
      expect(report?.findings.filter((f) => f.severity === 'fail')).toEqual([]);
    });
  });
});

describe('the npm package', () => {
  it('packs only the command, installs offline into an empty prefix, and runs --version and plan there', async () => {
    const dir = tempDir();
    // --ignore-scripts: the global setup built out/cli already; rebuilding it here would race the tests that run it.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir]);
    expect(packed.stderr).not.toMatch(/ERR/);
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = info!.files.map((f) => f.path);
    expect(files).toContain('bin/mailflow-doctor.js');
    expect(files).toContain('out/cli/mailflow-doctor.mjs');
    // npm always packs package.json's main (the app's out/main/index.js, when built).
    expect(files.filter((f) => !/^(bin\/|out\/cli\/|out\/renderer\/|examples\/|README\.md$|package\.json$|LICENSE|out\/main\/index\.js$)/.test(f))).toEqual([]);

    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    // The command and the app are bundles: a package listed here would have to be fetched on install.
    expect(manifest.dependencies ?? {}, 'move packages to devDependencies: out/cli and out/main bundle them').toEqual({});

    const prefix = join(dir, 'prefix');
    const installed = await run('npm', ['install', '--global', '--prefix', prefix, '--offline', '--ignore-scripts', '--no-audit', '--no-fund', join(dir, info!.filename)], dir);
    expect(installed.code, installed.stderr).toBe(0);
    const command = process.platform === 'win32' ? join(prefix, 'mailflow-doctor.cmd') : join(prefix, 'bin', 'mailflow-doctor');
    const versionRun = await run(command, ['--version'], dir);
    expect(versionRun.stdout).toBe(`${version}\n`);
    const examples = process.platform === 'win32' ? join(prefix, 'node_modules/mailflow-doctor/examples') : join(prefix, 'lib/node_modules/mailflow-doctor/examples');
    const planRun = await run(command, ['plan', join(examples, 'john-bob-sun.json')], dir);
    expect(planRun.code).toBe(0);
    expect(planRun.stdout).toContain('# Connector plan: Contoso');
    expect(relative(prefix, examples).startsWith('..')).toBe(false);
  }, 60_000);
});
