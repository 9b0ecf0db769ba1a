import { dirname } from 'node:path';
import type { ParsedRequestOf, ResponseOf } from '../contract/api';
import type { PartnerEntry, PartnerExportFormat, PartnerRecord, PartnerResult, PartnerRow } from '../contract/partners';
import { parsePartnerList, partnersFromProfile } from '../engine/partners/import';
import { partnerScriptBlock, partnerScriptHead } from '../planner/partner-script';
import { fileNamePart } from '../text/escape';
import { composePartnerMessage } from '../report/partner-message';
import {
  partnerCsvHeader, partnerCsvRow, partnerHtmlFoot, partnerHtmlHead, partnerHtmlSection, partnerJsonLine,
  partnerMarkdownHead, partnerMarkdownSection, STATUS_ORDER,
} from '../report/partners';
import { openPartnerRegister, type PartnerRegister } from '../store/partner-register';
import { HandlerError } from './errors';
import type { EngineProgress, HandlerDeps } from './types';

/**
 * The Partners screen's channels: the register (import, list, details,
 * remove), runs (all, failing only, selected; answers streamed as
 * `partners:result`, what changed since the last check) and exports from the
 * last answers. The register lives beside the store file.
 */
type RunJob = <T>(jobId: string, work: (signal: AbortSignal, onProgress: (p: EngineProgress) => void) => Promise<T>) => Promise<T>;
type PartnerChannel = 'partners:import' | 'partners:list' | 'partners:get' | 'partners:run' | 'partners:remove' | 'partners:export';
type PartnerImpls = { readonly [C in PartnerChannel]: (input: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C> };

export const EXPIRY_WINDOW_DAYS = 30;
const PASSING = new Set(['ready', 'ready-with-warnings']);

export function rowOf(record: PartnerRecord): PartnerRow {
  const { entry, last } = record;
  return {
    domain: entry.domain, domainUnicode: entry.domainUnicode, direction: entry.direction,
    ...(entry.name ? { name: entry.name } : {}), ...(entry.tlsDomain ? { tlsDomain: entry.tlsDomain } : {}), ...(entry.contact ? { contact: entry.contact } : {}),
    ...(last ? { status: last.status, statusWords: last.statusWords, summary: last.summary, checkedAt: last.checkedAt } : {}),
    daysToExpiry: last?.daysToExpiry ?? null,
    ...(record.change ? { change: record.change } : {}),
    ...(record.lastPassedAt ? { lastPassedAt: record.lastPassedAt } : {}),
    ...(record.failingSince ? { failingSince: record.failingSince } : {}),
  };
}

export function partnerHandlers(deps: HandlerDeps, runJob: RunJob): PartnerImpls {
  let register: PartnerRegister | undefined = deps.partnerRegister;
  const registerOf = (): PartnerRegister => {
    if (register) return register;
    if (deps.store.path === ':memory:') throw new HandlerError({ code: 'UNAVAILABLE', message: 'The partner register needs a store folder.' });
    register = openPartnerRegister(dirname(deps.store.path), deps.clock);
    for (const notice of register.takeNotices()) deps.emit('app:notice', { level: 'warn', message: notice });
    return register;
  };
  const lastResults = (domains?: readonly string[]): PartnerResult[] => {
    const wanted = domains ? new Set(domains) : undefined;
    const rank = new Map(STATUS_ORDER.map((s, i) => [s, i]));
    return registerOf().list()
      .filter((r) => r.last && (!wanted || wanted.has(r.entry.domain)))
      .map((r) => ({ ...r.last!, message: composePartnerMessage(r.last!) }))
      .sort((a, b) => rank.get(a.status)! - rank.get(b.status)!);
  };

  return {
    'partners:import': (input) => {
      const list = input.source === 'text'
        ? parsePartnerList(input.text, input.fileName ? { fileName: input.fileName } : {})
        : (() => {
            const profile = deps.store.listProfiles().find((p) => p.name === input.profileName);
            if (!profile) throw new HandlerError({ code: 'NOT_FOUND', message: `There is no saved profile called "${input.profileName}".`, where: 'profileName' });
            return partnersFromProfile(profile);
          })();
      const { added, updated } = registerOf().upsert(list.partners);
      return { added, updated, rejected: list.rejected, rejectedNotListed: list.rejectedNotListed, duplicatesMerged: list.duplicatesMerged, warnings: list.warnings };
    },
    'partners:list': () => {
      const rows = registerOf().list().map(rowOf);
      const expiring = rows.filter((r) => r.daysToExpiry !== null && r.daysToExpiry <= EXPIRY_WINDOW_DAYS).sort((a, b) => (a.daysToExpiry ?? 0) - (b.daysToExpiry ?? 0));
      return { rows, expiring, expiryWindowDays: EXPIRY_WINDOW_DAYS };
    },
    'partners:get': ({ domain }) => {
      const record = registerOf().get(domain.toLowerCase());
      if (!record) throw new HandlerError({ code: 'NOT_FOUND', message: `${domain} is not in the partner register.`, where: 'domain' });
      return { record, message: record.last ? composePartnerMessage(record.last) : null };
    },
    'partners:remove': ({ domains }) => ({ removed: registerOf().remove(domains) }),
    'partners:run': async ({ jobId, scope, domains }) => {
      const engine = deps.engine.runPartners;
      if (!engine) throw new HandlerError({ code: 'UNAVAILABLE', message: 'Partner checks are not available in this build.' });
      const reg = registerOf();
      const wanted = new Set(domains.map((d) => d.toLowerCase()));
      const partners: PartnerEntry[] = reg.list()
        .filter((r) => scope === 'all' || (scope === 'failing' ? !r.last || !PASSING.has(r.last.status) : wanted.has(r.entry.domain)))
        .map((r) => r.entry);
      if (partners.length === 0) throw new HandlerError({ code: 'INPUT', message: scope === 'selected' ? 'Select at least one partner of the register.' : 'No partner to check.', where: 'scope' });
      const settings = deps.store.getSettings();
      let notReady = 0;
      let done = 0;
      const expiringNow: string[] = [];
      let sinceFlush = 0;
      const summary = await runJob(jobId, (signal) => {
        // A cancelled run keeps every answer that finished: what is still unwritten is written at once.
        signal.addEventListener('abort', () => reg.flush(), { once: true });
        return engine(partners, {
          settings, signal,
          expiryWindowDays: EXPIRY_WINDOW_DAYS,
          onResult: (result) => {
            // Recorded as they come, written to the file every 100 answers and at the end.
            const [record] = reg.record([result], { persist: false });
            if (++sinceFlush >= 100) { reg.flush(); sinceFlush = 0; }
            done += 1;
            if (!PASSING.has(result.status)) notReady += 1;
            if (result.daysToExpiry !== null && result.daysToExpiry >= 0 && result.daysToExpiry <= EXPIRY_WINDOW_DAYS) expiringNow.push(`${result.domainUnicode} (${result.daysToExpiry} days)`);
            if (record && !signal.aborted) deps.emit('partners:result', { jobId, done, total: partners.length, notReady, row: rowOf(record) });
          },
        }).finally(() => reg.flush());
      });
      if (expiringNow.length > 0) {
        deps.emit('app:notice', { level: 'warn', message: `Partner certificates expiring within ${EXPIRY_WINDOW_DAYS} days: ${expiringNow.slice(0, 10).join(', ')}${expiringNow.length > 10 ? `, and ${expiringNow.length - 10} more` : ''}.` });
      }
      return summary;
    },
    'partners:export': ({ format, domains }) => {
      const results = lastResults(domains);
      if (results.length === 0) throw new HandlerError({ code: 'INPUT', message: 'No checked partner to export: run a check first.', where: 'domains' });
      return exportPartners(results, format, new Date(deps.clock.now()));
    },
  };
}

const MIME: Readonly<Record<PartnerExportFormat, string>> = { html: 'text/html', ps1: 'text/plain', csv: 'text/csv', jsonl: 'application/x-ndjson', md: 'text/markdown' };

export function exportPartners(results: readonly PartnerResult[], format: PartnerExportFormat, generatedAt: Date): { fileName: string; mimeType: string; text: string } {
  const counts = Object.fromEntries(STATUS_ORDER.map((s) => [s, results.filter((r) => r.status === s).length])) as Record<(typeof STATUS_ORDER)[number], number>;
  const expiring = results.filter((r) => r.daysToExpiry !== null && r.daysToExpiry <= EXPIRY_WINDOW_DAYS);
  const summary = { total: results.length, done: results.length, counts, expiringSoon: expiring.length, expiryWindowDays: EXPIRY_WINDOW_DAYS, cancelled: false, probes: 0, probesReused: 0, elapsedMs: 0 };
  const meta = { generatedAt };
  let text: string;
  switch (format) {
    case 'html': text = partnerHtmlHead(summary, meta, expiring) + results.map(partnerHtmlSection).join('') + partnerHtmlFoot(); break;
    case 'ps1': text = `\uFEFF${partnerScriptHead(results.length, generatedAt)}${results.map(partnerScriptBlock).join('')}`; break;
    case 'csv': text = partnerCsvHeader() + results.map(partnerCsvRow).join(''); break;
    case 'jsonl': text = results.map(partnerJsonLine).join(''); break;
    case 'md': text = partnerMarkdownHead(summary, meta) + results.map(partnerMarkdownSection).join(''); break;
  }
  const stamp = generatedAt.toISOString().slice(0, 10);
  return { fileName: `${fileNamePart(`partners-${stamp}`)}.${format}`, mimeType: MIME[format], text };
}
