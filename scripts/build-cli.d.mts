import type { Metafile } from 'esbuild';

/** See build-cli.mjs: builds the command into `outdir` (default out/cli). */
export function buildCli(outdir?: string): Promise<Metafile>;
