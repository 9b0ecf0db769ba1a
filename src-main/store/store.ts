import type { Profile } from '../contract/planner';
import type { HistoryEntry, NetworkSettings, Notice, SavedObservation } from '../contract/api';
import { LIMITS } from '../contract/api';
import { InputError } from '../contract/errors';
import { MAX_HISTORY, MAX_PROFILES } from './schema';
import { createMemoryRuns } from './run-files';
import type { RunStore } from './run-files';
import type { HistoryRecord, StoreData, WindowState } from './schema';

/**
 * Everything the app remembers, behind one interface: profiles, network
 * settings, the run history, the last opened profile and the window's place.
 * Handlers, the CLI and the shell only see this; the file behind it is written
 * by electron-store in the app and by conf in Node (same format, see schema.ts).
 */
export interface MailflowStore {
  /** The store file, for the About box and the README. */
  readonly path: string;
  getSettings(): NetworkSettings;
  setSettings(settings: NetworkSettings): NetworkSettings;
  listProfiles(): readonly Profile[];
  /** Replaces a profile of the same name, and makes it the last opened one. */
  saveProfile(profile: Profile): void;
  deleteProfile(name: string): boolean;
  lastProfile(): Profile | null;
  selectProfile(name: string): boolean;
  /** Newest first. */
  listHistory(): readonly HistoryEntry[];
  getHistory(id: string): HistoryRecord | undefined;
  /**
   * Adds at the front; the oldest runs beyond the bound are forgotten. The
   * report goes to its own file; a report over the size cap is not kept (the
   * run is still listed) and a notice says so.
   */
  addHistory(record: HistoryRecord): void;
  deleteHistory(id: string): boolean;
  /** The TLS observations remembered with a profile (empty when none). */
  listObservations(profileName: string): readonly SavedObservation[];
  /** Remembers observations with a profile: each replaces the one of the same target; the newest are kept. */
  saveObservations(profileName: string, observations: readonly SavedObservation[]): void;
  getWindowState(): WindowState | undefined;
  setWindowState(state: WindowState): void;
  /** Notices raised while opening (e.g. a damaged file set aside); each is returned once. */
  takeNotices(): Notice[];
}

/** Where the data is persisted: the whole object is written at once (conf and electron-store write atomically). */
export interface StoreBackend {
  readonly path: string;
  write(data: StoreData): void;
  /**
   * The file's data when another process (the app, the CLI, browser mode)
   * changed it since we last read or wrote it; undefined when unchanged.
   */
  reload?(): StoreData | undefined;
}

/**
 * A store kept in memory and written through to the backend on every change;
 * the reports of past runs are kept by `runs` (files beside the store file).
 */
export function createStore(initial: StoreData, backend: StoreBackend, notices: readonly Notice[] = [], runs: RunStore = createMemoryRuns()): MailflowStore {
  let data: StoreData = structuredClone(initial);
  let pending: Notice[] = [...notices];
  /**
   * Why every call first picks up the file's latest content: the app, the CLI
   * and browser mode share one file, and each writes the whole object, so a
   * change made from stale data would silently undo another process's save.
   */
  const sync = (): void => {
    const fresh = backend.reload?.();
    if (fresh) data = fresh;
  };
  const commit = (next: StoreData): void => {
    backend.write(next);
    data = next;
  };
  return {
    path: backend.path,
    getSettings: () => {
      sync();
      return structuredClone(data.settings);
    },
    setSettings(settings) {
      sync();
      commit({ ...data, settings: structuredClone(settings) });
      return structuredClone(settings);
    },
    listProfiles: () => {
      sync();
      return structuredClone(data.profiles);
    },
    saveProfile(profile) {
      sync();
      const others = data.profiles.filter((existing) => existing.name !== profile.name);
      // Never make room by silently dropping someone's oldest profile.
      if (others.length >= MAX_PROFILES) throw new InputError(`${MAX_PROFILES} profiles are saved already; delete one before saving a new one.`, 'profile.name');
      const profiles = [structuredClone(profile), ...others];
      commit({ ...data, profiles, lastProfile: profile.name });
    },
    deleteProfile(name) {
      sync();
      const profiles = data.profiles.filter((existing) => existing.name !== name);
      if (profiles.length === data.profiles.length) return false;
      const { [name]: _forgotten, ...observations } = data.observations;
      const next: StoreData = { ...data, profiles, observations };
      if (next.lastProfile === name) delete next.lastProfile;
      commit(next);
      return true;
    },
    lastProfile() {
      sync();
      const found = data.profiles.find((profile) => profile.name === data.lastProfile);
      return found ? structuredClone(found) : null;
    },
    selectProfile(name) {
      sync();
      if (!data.profiles.some((profile) => profile.name === name)) return false;
      commit({ ...data, lastProfile: name });
      return true;
    },
    listHistory: () => {
      sync();
      return structuredClone(data.history);
    },
    getHistory(id) {
      sync();
      return data.history.some((entry) => entry.id === id) ? runs.get(id) : undefined;
    },
    addHistory(record) {
      sync();
      if (!runs.put(record)) pending.push({ level: 'warn', message: `The report of ${record.entry.kind} ${record.entry.target} is too large to keep in History; export it now if you need it.` });
      const history = [structuredClone(record.entry), ...data.history.filter((existing) => existing.id !== record.entry.id)];
      for (const dropped of history.splice(MAX_HISTORY)) runs.remove(dropped.id);
      commit({ ...data, history });
    },
    deleteHistory(id) {
      sync();
      const history = data.history.filter((entry) => entry.id !== id);
      if (history.length === data.history.length) return false;
      commit({ ...data, history });
      runs.remove(id);
      return true;
    },
    listObservations: (profileName) => {
      sync();
      return structuredClone(data.observations[profileName] ?? []);
    },
    saveObservations(profileName, fresh) {
      sync();
      const targets = new Set(fresh.map((o) => o.target));
      const kept = (data.observations[profileName] ?? []).filter((o) => !targets.has(o.target));
      const merged = [...kept, ...structuredClone(fresh)].slice(-LIMITS.observations);
      // Bounded in profiles too: beyond MAX_PROFILES names, the oldest names that are not saved profiles are forgotten.
      const { [profileName]: _previous, ...others } = data.observations;
      const saved = new Set(data.profiles.map((p) => p.name));
      const names = Object.keys(others);
      const excess = names.length + 1 - MAX_PROFILES;
      const dropped = new Set(excess > 0 ? names.filter((n) => !saved.has(n)).slice(0, excess) : []);
      const keptOthers = Object.fromEntries(Object.entries(others).filter(([name]) => !dropped.has(name)));
      commit({ ...data, observations: { ...keptOthers, [profileName]: merged } });
    },
    getWindowState: () => {
      sync();
      return data.window ? { ...data.window } : undefined;
    },
    setWindowState(state) {
      sync();
      commit({ ...data, window: { ...state } });
    },
    takeNotices() {
      const taken = pending;
      pending = [];
      return taken;
    },
  };
}

/** A store that lives only in memory (unit tests, `--no-store` runs). */
export function createMemoryStore(initial: StoreData, path = ':memory:'): MailflowStore {
  return createStore(initial, { path, write: () => undefined }, [], createMemoryRuns());
}
