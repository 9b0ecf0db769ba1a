import Conf from 'conf';
import type { Clock } from '../engine/clock';
import { defaultStoreDir } from './default-dir';
import { openStoreFile } from './open-store';
import type { MailflowStore } from './store';

/**
 * The store for Node (CLI, browser mode, tests), written by conf: the same
 * file and format electron-store writes in the app (`config.json`).
 */
export function openConfStore(options: { dir?: string; clock?: Clock } = {}): MailflowStore {
  const dir = options.dir ?? defaultStoreDir();
  return openStoreFile(
    dir,
    (cwd) => {
      const conf = new Conf<Record<string, unknown>>({ projectName: 'mailflow-doctor', cwd, configName: 'config', accessPropertiesByDotNotation: false, configFileMode: 0o600 });
      return {
        path: conf.path,
        write: (data) => {
          conf.store = data as unknown as Record<string, unknown>;
        },
      };
    },
    options.clock,
  );
}
