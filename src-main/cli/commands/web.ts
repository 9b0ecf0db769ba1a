import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { UsageError } from '../errors';

/**
 * `mailflow-doctor web`: the app in the default browser, for machines where
 * Electron cannot run. Serves the built renderer and the app's API on
 * 127.0.0.1 with a secret made for this launch, and signs the browser in with
 * a one-time code: the browser is opened on a 0600 temporary file that
 * redirects to `/launch?code=…`, so no secret (not even the code) is in any
 * process's arguments, where every local user could read it.
 */
export function register(program: Command): void {
  program
    .command('web')
    .description('open the app in your browser (serves it on 127.0.0.1 until you press Ctrl+C)')
    .option('--no-open', 'only print the address, do not open a browser')
    .option('--port <port>', 'listen on this port (default: a random free port)')
    .action(async (options: { open: boolean; port?: string }) => {
      const port = options.port === undefined ? 0 : Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 1 to 65535, not "${options.port}"`);
      // Loaded here so other commands never pay for the bridge.
      const { startBridge } = await import('../../bridge/server');
      let bridge;
      try {
        bridge = await startBridge({ port });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is already in use; leave out --port to pick a free one`);
        throw error;
      }
      process.stdout.write(
        `Mailflow Doctor is running at ${bridge.origin}/\n\n` +
        `To sign in, open this address within a minute (it works once):\n\n  ${bridge.newLaunchUrl()}\n\n` +
        `Press Enter for a new sign-in address, Ctrl+C to stop.\n`,
      );
      for (const notice of bridge.store.takeNotices()) process.stdout.write(`\nNote: ${notice.message}\n`);
      const launchFile = options.open ? writeLaunchFile(bridge.newLaunchUrl()) : undefined;
      if (launchFile) openInBrowser(pathToFileURL(launchFile.path).href);
      const newAddress = (): void => void process.stdout.write(`\n  ${bridge.newLaunchUrl()}\n`);
      if (process.stdin.isTTY) process.stdin.on('data', newAddress);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          process.stdin.off('data', newAddress);
          if (process.stdin.isTTY) process.stdin.pause();
          launchFile?.remove();
          void bridge.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

/** Best effort: a missing or failing opener only means the user copies the address. */
export function openInBrowser(url: string): void {
  const [command, args]: [string, string[]] =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener on this machine: the printed address is enough.
  }
}

/**
 * A page that sends the browser to the sign-in address, in a folder only this
 * user can read (mkdtemp makes it 0700; the file is 0600). Removed after a
 * minute, when the code inside is dead anyway.
 */
export function writeLaunchFile(launchUrl: string): { readonly path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mailflow-doctor-'));
  const path = join(dir, 'open-mailflow-doctor.html');
  const attribute = launchUrl.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  writeFileSync(
    path,
    `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${attribute}"><title>Mailflow Doctor</title><a href="${attribute}">Open Mailflow Doctor</a>\n`,
    { mode: 0o600 },
  );
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  setTimeout(remove, 60_000).unref();
  return { path, remove };
}
