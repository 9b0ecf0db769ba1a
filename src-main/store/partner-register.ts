import { existsSync, readFileSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import {
  PARTNER_LIMITS, PartnerRecordSchema,
  type PartnerEntry, type PartnerRecord, type PartnerResult,
} from '../contract/partners';
import { checkOf, comparePartnerChecks } from './partner-compare';

/**
 * The partner register: every partner of the workbench with its history of
 * checks, so the app shows when it last passed, what changed and since when
 * it fails, and `partners --since-days` knows who is due.
 *
 * Kept in its own file (`partners.json` beside the store file), not in the
 * settings file: it is larger and written after every run. Bounded: at most
 * `MAX_REGISTER_PARTNERS` partners, 20 checks each, the full answer for the
 * last check only (its message is recomposed when needed), and a file larger
 * than `MAX_REGISTER_BYTES` is set aside rather than read. Written to a
 * temporary file and renamed, so a crash never leaves half a register.
 */
export const PARTNER_REGISTER_FILE = 'partners.json';
export const MAX_REGISTER_PARTNERS = 5_000;
export const MAX_REGISTER_BYTES = 64 * 1024 * 1024;
const REGISTER_SCHEMA_VERSION = 1;

const RegisterFileSchema = z.object({
  schemaVersion: z.literal(REGISTER_SCHEMA_VERSION),
  partners: z.array(z.unknown()).max(MAX_REGISTER_PARTNERS),
});

export interface PartnerRegister {
  readonly path: string;
  /** Partners in the order they were added. */
  list(): readonly PartnerRecord[];
  get(domain: string): PartnerRecord | undefined;
  /** Adds new partners and updates the fields of known ones; returns how many were added. */
  upsert(entries: readonly PartnerEntry[]): { readonly added: number; readonly updated: number };
  remove(domains: readonly string[]): number;
  /**
   * Records the answers of a run; each record gets its change since the previous check.
   * `persist: false` keeps them in memory until `flush()` (a run records answer by answer and
   * writes the file in batches: rewriting it per answer would cost the square of the list).
   */
  record(results: readonly PartnerResult[], options?: { readonly persist?: boolean }): readonly PartnerRecord[];
  /** Writes what was recorded without persisting. */
  flush(): void;
  /** Partners not checked for `days` days (or never), at `nowMs`. */
  dueSince(days: number, nowMs: number): readonly PartnerEntry[];
  /** Problems met opening the file (damaged file set aside), once. */
  takeNotices(): string[];
}

const PASSING = new Set(['ready', 'ready-with-warnings']);

/** Applies one answer to a record (pure). */
export function applyResult(record: PartnerRecord | undefined, entry: PartnerEntry, result: PartnerResult): PartnerRecord {
  const check = checkOf(result);
  const previous = record?.history[0];
  const change = comparePartnerChecks(previous, check);
  const passing = PASSING.has(result.status);
  const wasFailing = previous !== undefined && !PASSING.has(previous.status);
  const failingSince = passing ? undefined : wasFailing ? (record?.failingSince ?? previous.checkedAt) : check.checkedAt;
  const lastPassedAt = passing ? check.checkedAt : record?.lastPassedAt;
  return {
    entry,
    history: [check, ...(record?.history ?? [])].slice(0, PARTNER_LIMITS.historyPerPartner),
    last: { ...result, message: null },
    change,
    ...(lastPassedAt ? { lastPassedAt } : {}),
    ...(failingSince ? { failingSince } : {}),
  };
}

export function openPartnerRegister(dir: string, clock: { now(): number } = { now: () => Date.now() }): PartnerRegister {
  const path = join(dir, PARTNER_REGISTER_FILE);
  const notices: string[] = [];
  const records = new Map<string, PartnerRecord>();

  const load = (): void => {
    records.clear();
    if (!existsSync(path)) return;
    const size = statSync(path).size;
    let problem: string | undefined;
    if (size > MAX_REGISTER_BYTES) problem = `it is ${Math.round(size / 1024 / 1024)} MB, more than ${MAX_REGISTER_BYTES / 1024 / 1024} MB`;
    let data: z.infer<typeof RegisterFileSchema> | undefined;
    if (!problem) {
      try {
        const parsed = RegisterFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
        if (parsed.success) data = parsed.data;
        else problem = 'it does not have the partner register\'s format';
      } catch {
        problem = 'it is not valid JSON';
      }
    }
    if (problem || !data) {
      const aside = join(dirname(path), `partners.damaged-${new Date(clock.now()).toISOString().replace(/[:.]/g, '-')}.json`);
      renameSync(path, aside);
      notices.push(`The partner register was damaged (${problem ?? 'unreadable'}); it was kept as ${aside} and a new one started.`);
      return;
    }
    let dropped = 0;
    for (const raw of data.partners) {
      const record = PartnerRecordSchema.safeParse(raw);
      if (record.success) records.set(record.data.entry.domain, record.data);
      else dropped += 1;
    }
    if (dropped > 0) notices.push(`${dropped} damaged partner record(s) in the partner register were left out.`);
  };

  const save = (): void => {
    mkdirSync(dir, { recursive: true });
    const partial = `${path}.partial-${process.pid}`;
    writeFileSync(partial, JSON.stringify({ schemaVersion: REGISTER_SCHEMA_VERSION, partners: [...records.values()] }), { encoding: 'utf8', mode: 0o600 });
    renameSync(partial, path);
  };

  load();
  let dirty = false;
  return {
    path,
    list: () => [...records.values()],
    get: (domain) => records.get(domain),
    upsert(entries) {
      let added = 0;
      let updated = 0;
      for (const entry of entries) {
        const existing = records.get(entry.domain);
        if (existing) {
          records.set(entry.domain, { ...existing, entry });
          updated += 1;
        } else {
          if (records.size >= MAX_REGISTER_PARTNERS) throw new Error(`The partner register holds ${MAX_REGISTER_PARTNERS} partners, the most it keeps; remove some first.`);
          records.set(entry.domain, { entry, history: [], last: null });
          added += 1;
        }
      }
      save();
      return { added, updated };
    },
    remove(domains) {
      let removed = 0;
      for (const domain of domains) if (records.delete(domain)) removed += 1;
      if (removed > 0) save();
      return removed;
    },
    record(results, options = {}) {
      const changed: PartnerRecord[] = [];
      for (const result of results) {
        const existing = records.get(result.domain);
        if (!existing && records.size >= MAX_REGISTER_PARTNERS) continue;
        const entry: PartnerEntry = existing?.entry ?? {
          domain: result.domain, domainUnicode: result.domainUnicode, direction: result.direction, line: 0,
          ...(result.name ? { name: result.name } : {}), ...(result.tlsDomain ? { tlsDomain: result.tlsDomain } : {}), ...(result.contact ? { contact: result.contact } : {}),
        };
        const next = applyResult(existing, entry, result);
        records.set(result.domain, next);
        changed.push(next);
      }
      if (changed.length > 0) {
        if (options.persist === false) dirty = true;
        else { save(); dirty = false; }
      }
      return changed;
    },
    flush() {
      if (!dirty) return;
      save();
      dirty = false;
    },
    dueSince(days, nowMs) {
      const limit = nowMs - days * 24 * 60 * 60 * 1000;
      return [...records.values()].filter((r) => !r.history[0] || Date.parse(r.history[0].checkedAt) <= limit).map((r) => r.entry);
    },
    takeNotices() {
      return notices.splice(0);
    },
  };
}
