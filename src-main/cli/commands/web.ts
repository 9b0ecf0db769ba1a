import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { UsageError } from '../errors';

/**
 * `mailflow-doctor web`: the app in the default browser, for machines where
 * Electron cannot run. Serves the built renderer and the app's API on
 * 127.0.0.1 with a token made for this launch; prints the address and opens it.
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
      process.stdout.write(`Mailflow Doctor is running at:\n\n  ${bridge.url}\n\nThe address holds a one-time key; keep it to yourself. Press Ctrl+C to stop.\n`);
      for (const notice of bridge.store.takeNotices()) process.stdout.write(`\nNote: ${notice.message}\n`);
      if (options.open) openInBrowser(bridge.url);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
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
