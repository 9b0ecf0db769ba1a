import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HistoryIdSchema, HistoryRecordSchema } from '../contract/api';
import type { HistoryRecord } from '../contract/api';

/**
 * Where the full reports of past runs live: one file per run in `runs/`
 * beside the store file, which keeps only the list of runs.
 *
 * Why not in the store file: a report can be megabytes (40 MX hosts, their
 * certificates and transcripts); kept inside config.json, every saved setting
 * rewrote them all, and every start read them all. Each file and the folder
 * as a whole are capped, and only this user may read them (0600 in a 0700
 * folder), as they name the organisation's servers and partners.
 */
export interface RunStore {
  /** Keeps a run's report; false when it is larger than one run may be (the run is then listed without its report). */
  put(record: HistoryRecord): boolean;
  get(id: string): HistoryRecord | undefined;
  remove(id: string): void;
  /** Forgets every report whose run is no longer listed. */
  keepOnly(ids: ReadonlySet<string>): void;
}

/** One run's report at most; the engine's own caps keep real reports far below. */
export const MAX_RUN_FILE_BYTES = 8 * 1024 * 1024;
/** All reports together; beyond this the oldest go first. */
export const MAX_RUNS_TOTAL_BYTES = 256 * 1024 * 1024;

export const RUNS_FOLDER = 'runs';

const fileOf = (dir: string, id: string): string => {
  // Ids are checked by the contract already; checked again here because they become file names.
  if (!HistoryIdSchema.safeParse(id).success) throw new RangeError('not a run id');
  return join(dir, `${id}.json`);
};

export function createRunFiles(storeDir: string): RunStore {
  const dir = join(storeDir, RUNS_FOLDER);
  const ensureDir = (): void => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  };
  const entries = (): { id: string; size: number; mtimeMs: number }[] => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .filter((name) => /^[A-Za-z0-9_-]{1,100}\.json$/.test(name))
      .flatMap((name) => {
        try {
          const info = statSync(join(dir, name));
          return [{ id: name.slice(0, -5), size: info.size, mtimeMs: info.mtimeMs }];
        } catch {
          return [];
        }
      });
  };
  const remove = (id: string): void => rmSync(fileOf(dir, id), { force: true });
  return {
    put(record) {
      const text = JSON.stringify(record);
      if (Buffer.byteLength(text) > MAX_RUN_FILE_BYTES) return false;
      ensureDir();
      const target = fileOf(dir, record.entry.id);
      const temp = `${target}.${process.pid}.tmp`;
      writeFileSync(temp, text, { mode: 0o600 });
      renameSync(temp, target);
      // Oldest first out until the folder fits its cap again.
      const all = entries().sort((a, b) => a.mtimeMs - b.mtimeMs);
      let total = all.reduce((sum, e) => sum + e.size, 0);
      for (const old of all) {
        if (total <= MAX_RUNS_TOTAL_BYTES || old.id === record.entry.id) break;
        remove(old.id);
        total -= old.size;
      }
      return true;
    },
    get(id) {
      let text: string;
      try {
        const file = fileOf(dir, id);
        if (statSync(file).size > MAX_RUN_FILE_BYTES) return undefined;
        text = readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
      try {
        const record = HistoryRecordSchema.safeParse(JSON.parse(text));
        return record.success && record.data.entry.id === id ? record.data : undefined;
      } catch {
        return undefined;
      }
    },
    remove,
    keepOnly(ids) {
      for (const entry of entries()) if (!ids.has(entry.id)) remove(entry.id);
    },
  };
}

/** Reports kept in memory (unit tests, the memory store). */
export function createMemoryRuns(): RunStore {
  const runs = new Map<string, HistoryRecord>();
  return {
    put(record) {
      if (Buffer.byteLength(JSON.stringify(record)) > MAX_RUN_FILE_BYTES) return false;
      runs.set(record.entry.id, structuredClone(record));
      return true;
    },
    get: (id) => {
      const found = runs.get(id);
      return found ? structuredClone(found) : undefined;
    },
    remove: (id) => void runs.delete(id),
    keepOnly(ids) {
      for (const id of [...runs.keys()]) if (!ids.has(id)) runs.delete(id);
    },
  };
}
