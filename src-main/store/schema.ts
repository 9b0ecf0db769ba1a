import { z } from 'zod';
import { ProfileSchema } from '../contract/planner';
import type { Profile } from '../contract/planner';
import { DEFAULT_NETWORK_SETTINGS, HistoryEntrySchema, HistoryRecordSchema, LIMITS, NetworkSettingsSchema, SavedObservationSchema } from '../contract/api';
import type { HistoryEntry, HistoryRecord, NetworkSettings } from '../contract/api';

/**
 * The store file's format (`config.json`), shared by the Electron app
 * (electron-store) and the CLI and browser mode (conf): one JSON object,
 * versioned by `schemaVersion`, migrated forward on open. Since version 3 it
 * lists past runs only; their reports are files of their own (run-files.ts).
 */
export const STORE_SCHEMA_VERSION = 3;
/** A store file larger than this is not read: it is moved aside like a damaged one. */
export const MAX_STORE_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_HISTORY = 100;
export const MAX_PROFILES = 200;

/** A run as kept in the file: the same shape `history:get` answers with. */
export { HistoryRecordSchema };
export type { HistoryRecord };

export const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const ObservationsByProfileSchema = z.record(z.string().max(200), z.array(SavedObservationSchema).max(LIMITS.observations));

export const StoreDataSchema = z.object({
  schemaVersion: z.literal(STORE_SCHEMA_VERSION),
  settings: NetworkSettingsSchema,
  profiles: z.array(ProfileSchema).max(MAX_PROFILES),
  /** Newest first; each run's report is in its own file (run-files.ts). */
  history: z.array(HistoryEntrySchema).max(MAX_HISTORY),
  lastProfile: z.string().optional(),
  window: WindowStateSchema.optional(),
  /**
   * TLS observations by profile name, so "TLS failing" on the diagram survives
   * a reload and a restart. Defaults to none: files written before this field
   * existed load unchanged (no version step needed).
   */
  observations: ObservationsByProfileSchema.default({}),
});
export type StoreData = z.infer<typeof StoreDataSchema>;

export const emptyStoreData = (): StoreData => ({
  schemaVersion: STORE_SCHEMA_VERSION,
  settings: { ...DEFAULT_NETWORK_SETTINGS },
  profiles: [],
  history: [],
  observations: {},
});

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Migrations, one per version step: `migrations[n]` turns version n into n+1.
 * They work on plain JSON and never throw on odd shapes: whatever does not fit
 * is dropped later, part by part, by `readStoreData`.
 */
export const migrations: Readonly<Record<number, (data: Json) => Json>> = {
  /** 0: a file without a version (an empty `{}` written by conf): start fresh, keep nothing unknown. */
  0: (data) => ({ ...data, schemaVersion: 1, settings: isObject(data.settings) ? data.settings : {}, profiles: Array.isArray(data.profiles) ? data.profiles : [] }),
  /**
   * 1 → 2 (0.1 previews): settings used `resolvers`, `timeoutMs` and `helo`;
   * the last profile was `lastProfileName`; history had no reports.
   */
  1: (data) => {
    const old = isObject(data.settings) ? data.settings : {};
    const timeoutMs = typeof old.timeoutMs === 'number' ? old.timeoutMs : DEFAULT_NETWORK_SETTINGS.timeoutSeconds * 1000;
    const settings: Json = {
      dnsServers: Array.isArray(old.resolvers) ? old.resolvers : [],
      timeoutSeconds: Math.min(60, Math.max(1, Math.ceil(timeoutMs / 1000))),
      caFiles: Array.isArray(old.caFiles) ? old.caFiles : [],
    };
    if (typeof old.doh === 'string' && old.doh !== '') settings.doh = old.doh;
    if (typeof old.helo === 'string' && old.helo !== '') settings.heloName = old.helo;
    const next: Json = { schemaVersion: 2, settings, profiles: Array.isArray(data.profiles) ? data.profiles : [], history: [] };
    if (typeof data.lastProfileName === 'string') next.lastProfile = data.lastProfileName;
    return next;
  },
  /**
   * 2 → 3: history held whole reports; now it lists runs and each report is a
   * file of its own. The reports are handed out (`carriedRuns`) for the
   * opener to write as files.
   */
  2: (data) => {
    const history = Array.isArray(data.history) ? data.history : [];
    return {
      ...data,
      schemaVersion: 3,
      history: history.map((record) => (isObject(record) ? record.entry : undefined)),
      [CARRIED_RUNS]: history,
    };
  },
};

/** Where migration 2 → 3 puts the reports it takes out of the file, for `readStoreData` to hand on. */
const CARRIED_RUNS = '__carriedRuns';

/** What reading a store file found: the usable data, and what had to be dropped (in words). */
export interface StoreReadResult {
  readonly data: StoreData;
  readonly problems: readonly string[];
  /** True when the file on disk must be rewritten (migrated or repaired). */
  readonly changed: boolean;
  /** Reports a version 2 file held inside it, to be kept as run files. */
  readonly carriedRuns: readonly HistoryRecord[];
}

/**
 * Turns the raw text of a store file into usable data.
 *
 * Salvages part by part: a bad profile or history entry is dropped alone, bad
 * settings fall back to defaults; everything valid is kept. Text that is not
 * JSON, or a file from a newer version, yields empty data and a problem.
 */
export function readStoreData(text: string | undefined): StoreReadResult {
  if (text === undefined) return { data: emptyStoreData(), problems: [], changed: false, carriedRuns: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { data: emptyStoreData(), problems: ['the file is not valid JSON (it may have been cut short)'], changed: true, carriedRuns: [] };
  }
  if (!isObject(parsed)) return { data: emptyStoreData(), problems: ['the file does not hold a settings object'], changed: true, carriedRuns: [] };

  let json: Json = parsed;
  let version = typeof json.schemaVersion === 'number' ? json.schemaVersion : 0;
  if (!Number.isInteger(version) || version > STORE_SCHEMA_VERSION || version < 0) {
    return { data: emptyStoreData(), problems: [`the file is from a newer or unknown version (${String(json.schemaVersion)})`], changed: true, carriedRuns: [] };
  }
  const migrated = version !== STORE_SCHEMA_VERSION;
  while (version < STORE_SCHEMA_VERSION) {
    const step = migrations[version];
    if (!step) return { data: emptyStoreData(), problems: [`no migration from version ${version}`], changed: true, carriedRuns: [] };
    json = step(json);
    version += 1;
  }
  return salvage(json, migrated);
}

function salvage(json: Json, migrated: boolean): StoreReadResult {
  const problems: string[] = [];
  const data = emptyStoreData();

  const settings = NetworkSettingsSchema.safeParse(json.settings);
  if (settings.success) data.settings = settings.data;
  else problems.push('the network settings were unreadable and are back to their defaults');

  const rawProfiles = Array.isArray(json.profiles) ? json.profiles : [];
  if (!Array.isArray(json.profiles)) problems.push('the profile list was unreadable');
  const profiles: Profile[] = [];
  rawProfiles.forEach((raw, index) => {
    const profile = ProfileSchema.safeParse(raw);
    if (profile.success && profiles.length < MAX_PROFILES) profiles.push(profile.data);
    else problems.push(`profile ${index + 1}${isObject(raw) && typeof raw.name === 'string' ? ` ("${raw.name.slice(0, 80)}")` : ''} was unreadable`);
  });
  data.profiles = profiles;

  const rawHistory = Array.isArray(json.history) ? json.history : [];
  if (json.history !== undefined && !Array.isArray(json.history)) problems.push('the run history was unreadable');
  let droppedRuns = 0;
  for (const raw of rawHistory) {
    const entry = HistoryEntrySchema.safeParse(raw);
    if (entry.success && data.history.length < MAX_HISTORY) data.history.push(entry.data);
    else droppedRuns += 1;
  }
  const carriedRuns: HistoryRecord[] = [];
  for (const raw of Array.isArray(json[CARRIED_RUNS]) ? json[CARRIED_RUNS] : []) {
    const record = HistoryRecordSchema.safeParse(raw);
    if (record.success && data.history.some((entry: HistoryEntry) => entry.id === record.data.entry.id)) carriedRuns.push(record.data);
  }
  if (droppedRuns > 0) problems.push(`${droppedRuns} past run${droppedRuns === 1 ? ' was' : 's were'} unreadable`);

  if (json.observations !== undefined) {
    const observations = ObservationsByProfileSchema.safeParse(json.observations);
    if (observations.success) data.observations = observations.data;
    else problems.push('the remembered TLS results were unreadable and are forgotten');
  }
  if (typeof json.lastProfile === 'string') data.lastProfile = json.lastProfile;
  if (json.window !== undefined) {
    const window = WindowStateSchema.safeParse(json.window);
    if (window.success) data.window = window.data;
  }
  return { data, problems, changed: migrated || problems.length > 0, carriedRuns };
}

export type { NetworkSettings };
