import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Notice } from '../contract/api';
import type { Clock } from '../engine/clock';
import { systemClock } from '../engine/clock';
import { MAX_STORE_FILE_BYTES, readStoreData } from './schema';
import { createRunFiles } from './run-files';
import type { StoreData } from './schema';
import { createStore } from './store';
import type { MailflowStore, StoreBackend } from './store';

export const STORE_FILE_NAME = 'config.json';

/** Makes the writer for a store file once it is safe to open (conf in Node, electron-store in the app). */
export type BackendFactory = (dir: string) => StoreBackend;

/**
 * Opens the store file in `dir`, migrating it and repairing what it can.
 *
 * Why move aside instead of clearing (conf's `clearInvalidConfig`): the file
 * holds the user's profiles; a damaged one is kept, renamed
 * `config.damaged-<time>.json` beside the new one, so nothing is lost and an
 * admin can recover by hand. The user is told through a notice; whatever could
 * still be read (valid profiles, settings, runs) is carried over.
 */
export function openStoreFile(dir: string, makeBackend: BackendFactory, clock: Clock = systemClock): MailflowStore {
  // Profiles name servers, partners and addresses: only this user may read them.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  restrict(dir, 0o700);
  const path = join(dir, STORE_FILE_NAME);
  const notices: Notice[] = [];
  const size = existsSync(path) ? statSync(path).size : 0;
  if (size > MAX_STORE_FILE_BYTES) {
    const aside = moveAside(path, clock);
    notices.push({
      level: 'warn',
      message:
        `Your settings file was ${Math.round(size / 1024 / 1024)} MB, more than the ${MAX_STORE_FILE_BYTES / 1024 / 1024} MB a settings file may have, so it was not read. ` +
        `It was kept as "${basename(aside)}" in ${dirname(aside)}; the app starts with fresh settings.`,
    });
  }
  const text = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  const result = readStoreData(text);
  if (result.problems.length > 0) {
    const aside = moveAside(path, clock);
    notices.push({
      level: 'warn',
      message:
        `Your settings file was damaged: ${result.problems.join('; ')}. ` +
        `It was kept as "${basename(aside)}" in ${dirname(aside)}; ` +
        `${describeKept(result.data)} The app goes on with what could be read.`,
    });
  }
  const runs = createRunFiles(dir);
  for (const record of result.carriedRuns) runs.put(record);
  const backend = tracked(path, makeBackend(dir));
  if (result.changed) backend.write(result.data);
  // A file written before the store set its mode (0644 from older versions) is tightened too.
  if (existsSync(path)) restrict(path, 0o600);
  runs.keepOnly(new Set(result.data.history.map((entry) => entry.id)));
  return createStore(result.data, backend, notices, runs);
}

/** Best effort: on Windows the mode bits mean little, and the folder's ACL (the user's profile) protects it. */
function restrict(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch {
    // Not ours to change (a shared folder given by MAILFLOW_DOCTOR_STORE_DIR): leave it.
  }
}

/** Size, time and inode: conf and electron-store write a new file and rename it, so each write changes the inode. */
function fileStamp(path: string): string {
  try {
    const info = statSync(path);
    return `${info.ino}:${info.size}:${info.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * Adds `reload` to a backend: the file's data when someone else wrote it since
 * our last read or write. A file another process left damaged or deleted is
 * not taken over: we keep our data, and our next write repairs the file.
 */
function tracked(path: string, backend: StoreBackend): StoreBackend {
  let known = fileStamp(path);
  return {
    path: backend.path,
    write(data) {
      backend.write(data);
      known = fileStamp(path);
    },
    reload() {
      const now = fileStamp(path);
      if (now === known) return undefined;
      known = now;
      if (now === 'missing') return undefined;
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
      const fresh = readStoreData(text);
      return fresh.problems.length === 0 ? fresh.data : undefined;
    },
  };
}

function describeKept(data: StoreData): string {
  const profiles = data.profiles.length;
  const runs = data.history.length;
  return `${profiles} profile${profiles === 1 ? '' : 's'} and ${runs} past run${runs === 1 ? '' : 's'} were kept.`;
}

function moveAside(path: string, clock: Clock): string {
  const stamp = new Date(clock.now()).toISOString().replace(/[:.]/g, '-');
  let target = join(dirname(path), `config.damaged-${stamp}.json`);
  for (let n = 2; existsSync(target); n += 1) target = join(dirname(path), `config.damaged-${stamp}-${n}.json`);
  renameSync(path, target);
  return target;
}
