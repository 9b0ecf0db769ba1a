import ElectronStore from 'electron-store';
import type { Clock } from '../engine/clock';
import { openStoreFile } from '../store/open-store';
import type { MailflowStore } from '../store/store';

/**
 * The app's store, written by electron-store in main only (sandbox-compatible:
 * the renderer never touches it). Same folder, file name and format as the
 * conf store the CLI and browser mode use (see store/schema.ts).
 */
export function openElectronStore(dir: string, clock?: Clock): MailflowStore {
  return openStoreFile(
    dir,
    (cwd) => {
      const store = new ElectronStore<Record<string, unknown>>({ cwd, name: 'config', accessPropertiesByDotNotation: false, configFileMode: 0o600 });
      return {
        path: store.path,
        write: (data) => {
          store.store = data as unknown as Record<string, unknown>;
        },
      };
    },
    clock,
  );
}
