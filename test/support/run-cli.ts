import { vi } from 'vitest';
import { main } from '../../src-main/cli/main';

/**
 * Runs the command line in-process and captures what it prints, as a user
 * would see it, with the exit code main() returns. Leaves process.exitCode
 * and stdout/stderr as they were.
 */
export async function runCli(argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { err += String(chunk); return true; });
  process.exitCode = undefined;
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  }
}
