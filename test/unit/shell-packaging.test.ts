/**
 * What goes into the packaged app: electron-builder's file list and fuses, and
 * the main bundle's real import graph (esbuild resolves it the way
 * electron-vite does). The browser bridge, tests and the CLI's runner must not
 * ship; the signed binary must not be a general Node runtime.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The few top-level keys read here, from the YAML's simple block form (no YAML library is a dependency). */
function readBuilderConfig(text: string): { files: string[]; asar: boolean; electronFuses: Record<string, boolean> } {
  const lines = text.split(/\r?\n/).filter((line) => !/^\s*#/.test(line));
  const block = (key: string): string[] => {
    const start = lines.findIndex((line) => line === `${key}:`);
    if (start < 0) return [];
    const end = lines.findIndex((line, index) => index > start && /^\S/.test(line));
    return lines.slice(start + 1, end < 0 ? undefined : end).filter((line) => line.trim() !== '');
  };
  const files = block('files').map((line) => line.replace(/^\s*-\s*/, '').replace(/^"(.*)"$/, '$1'));
  const electronFuses = Object.fromEntries(block('electronFuses').map((line) => {
    const [key = '', value = ''] = line.trim().split(/:\s*/);
    return [key, value === 'true'];
  }));
  return { files, asar: lines.includes('asar: true'), electronFuses };
}
const builder = readBuilderConfig(readFileSync(`${root}electron-builder.yml`, 'utf8'));

describe('electron-builder.yml', () => {
  it('sets the fuses: no RunAsNode, no NODE_OPTIONS, no inspect; asar integrity and asar-only loading; no extra file:// privileges', () => {
    expect(builder.asar).toBe(true);
    expect(builder.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs only the built app, never sources, tests, the bridge or the CLI runner', () => {
    const included = builder.files.filter((f) => !f.startsWith('!'));
    expect(included.every((f) => f === 'package.json' || f.startsWith('out/'))).toBe(true);
    for (const excluded of ['!src-main/**', '!test/**', '!bench/**', '!scripts/**', '!node_modules/tsx/**', '!node_modules/esbuild/**', '!**/*.map']) {
      expect(builder.files).toContain(excluded);
    }
  });
});

describe('the main bundle', () => {
  it('does not pull in the bridge, the CLI, test support or test-only packages', async () => {
    const result = await build({
      entryPoints: [`${root}src-main/electron/main.ts`],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      loader: { '.png': 'file' },
      outdir: '/nonexistent-out',
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('src-main/electron/main.ts');
    expect(inputs).toContain('src-main/handlers/create-handlers.ts');
    expect(inputs.filter((i) => /src-main\/(bridge|cli)\/|^test\//.test(i))).toEqual([]);
    const externals = new Set(Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)));
    for (const forbidden of ['tsx', 'esbuild', 'commander', 'smtp-server', 'nodemailer', 'node-forge', 'playwright-core', 'node:http']) {
      expect(externals.has(forbidden), forbidden).toBe(false);
    }
  });
});
