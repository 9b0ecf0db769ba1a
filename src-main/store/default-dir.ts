import { homedir } from 'node:os';
import { join } from 'node:path';

/** The product name: Electron's userData folder is named after it. */
export const PRODUCT_NAME = 'Mailflow Doctor';

/**
 * The folder of the store file, the same for the app, the CLI and browser
 * mode (Electron's `userData` for this product; the app sets it explicitly so
 * dev and packaged builds agree). `MAILFLOW_DOCTOR_STORE_DIR` overrides it.
 */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  const override = env.MAILFLOW_DOCTOR_STORE_DIR;
  if (override) return override;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), PRODUCT_NAME);
}
