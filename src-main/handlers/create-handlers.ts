import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { LIMITS, requests } from '../contract/api';
import type { ApiResult, Channel, HistoryRecord, ParsedRequestOf, ResponseOf } from '../contract/api';
import type { CheckReport } from '../contract/check';
import type { Finding } from '../contract/findings';
import { worstSeverity } from '../contract/finding-order';
import type { ExportRequestSubject, ExportSubject, ImportFile } from '../contract/api';
import type { Plan } from '../contract/planner';
import { exportBuiltSubject } from '../report/export';
import { HandlerError, fromZodError, toErrorValue } from './errors';
import { JobRegistry } from './jobs';
import { analyzeMessageRequest } from './message';
import { partnerHandlers } from './partners';
import { SESSION_LIMITS, SessionObjects } from './session-objects';
import type { EngineProgress, HandlerDeps, HandlerTable } from './types';

type Impl<C extends Channel> = (input: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
type ImplTable = { readonly [C in Channel]: Impl<C> };

/**
 * The one handler table: a function per contract channel, the same for
 * Electron's IPC and the HTTP bridge.
 *
 * Every handler parses its input with the channel's schema (limits included)
 * before anything else runs, and returns an `ApiResult`: errors travel as
 * values because Electron keeps only the message of a thrown error.
 */
export function createHandlers(deps: HandlerDeps): HandlerTable & { readonly jobs: JobRegistry } {
  const jobs = new JobRegistry();
  const newId = deps.newId ?? (() => randomUUID());
  const impl = implementations(deps, jobs, newId);
  const table: Partial<Record<Channel, (input: unknown) => Promise<ApiResult<unknown>>>> = {};
  for (const channel of Object.keys(requests) as Channel[]) {
    table[channel] = wrap(channel, impl[channel] as Impl<Channel>);
  }
  return Object.assign(table as unknown as HandlerTable, { jobs });
}

function wrap<C extends Channel>(channel: C, run: Impl<C>): (input: unknown) => Promise<ApiResult<ResponseOf<C>>> {
  const schema = requests[channel].input as unknown as z.ZodType<ParsedRequestOf<C>>;
  return async (input) => {
    const parsed = schema.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: fromZodError(parsed.error) };
    try {
      return { ok: true, value: await run(parsed.data) };
    } catch (error) {
      return { ok: false, error: toErrorValue(error) };
    }
  };
}

function implementations(deps: HandlerDeps, jobs: JobRegistry, newId: () => string): ImplTable {
  const { store, engine, emit, clock } = deps;
  let queriesInFlight = 0;
  /** Imported files and built plans stay in main; the renderer holds their ids. */
  const imports = new SessionObjects<ImportFile>(SESSION_LIMITS.imports, newId);
  const plans = new SessionObjects<Plan>(SESSION_LIMITS.plans, newId);

  const importedFile = (id: string, index: number): ImportFile => {
    const file = imports.get(id);
    if (!file) throw new HandlerError({ code: 'NOT_FOUND', message: 'An imported connector file is no longer open in the app; choose the file again.', where: `importIds.${index}` });
    return file;
  };

  /** A plan export names the plan main built: it is exported as built, never read back from the renderer. */
  const exportable = (subject: ExportRequestSubject): ExportSubject => {
    if (subject.kind !== 'plan') return subject;
    const plan = plans.get(subject.planId);
    if (!plan) throw new HandlerError({ code: 'NOT_FOUND', message: 'That plan is no longer open in the app; build the plan again, then save it.', where: 'subject.planId' });
    return subject.diagram ? { kind: 'plan', plan, diagram: subject.diagram } : { kind: 'plan', plan };
  };

  /** Runs a cancellable job and streams its progress as `job:progress`; the registry answers CANCELLED at once on cancel. */
  const runJob = async <T>(jobId: string, work: (signal: AbortSignal, onProgress: (p: EngineProgress) => void) => Promise<T>): Promise<T> => {
    const started = clock.now();
    return jobs.run(jobId, (signal) => {
      // Lookups the result no longer needs may still report after it is in
      // (e.g. a DMARC parent above the record that applied): the job is over
      // for the user then, so its progress list must not change any more.
      let settled = false;
      const onProgress = (progress: EngineProgress): void => {
        if (settled || signal.aborted) return;
        emit('job:progress', { jobId, ...progress, atMs: clock.now() - started });
      };
      return work(signal, onProgress).finally(() => {
        settled = true;
      });
    });
  };

  const remember = (record: HistoryRecord): void => {
    try {
      store.addHistory(record);
    } catch (error) {
      // The run itself succeeded; a full disk must not hide its result.
      emit('app:notice', { level: 'warn', message: `The run could not be saved to the history: ${error instanceof Error ? error.message : String(error)}` });
    }
  };

  return {
    'app:info': () => ({ name: deps.appName, version: deps.version, mode: deps.mode, storePath: store.path }),
    'app:notices': () => store.takeNotices(),
    'check:run': async ({ jobId, domain, probe }) => {
      const settings = store.getSettings();
      const report = await runJob(jobId, (signal, onProgress) => engine.runCheck(domain, { settings, probe, signal, onProgress }));
      remember({
        kind: 'check',
        entry: { id: newId(), kind: 'check', target: report.domain, at: report.startedAt, worstSeverity: report.verdict?.worst ?? worstSeverity(checkFindings(report)), elapsedMs: report.elapsedMs },
        report,
      });
      return report;
    },
    'probe:run': async ({ jobId, host, port, tlsDomain }) => {
      const settings = store.getSettings();
      const startedAt = new Date(clock.now()).toISOString();
      const report = await runJob(jobId, (signal, onProgress) =>
        engine.probe(host, port, { settings, signal, onProgress, ...(tlsDomain ? { tlsDomain } : {}) }),
      );
      remember({
        kind: 'probe',
        entry: { id: newId(), kind: 'probe', target: `${report.host}:${report.port}`, at: startedAt, worstSeverity: worstSeverity(report.findings), elapsedMs: report.elapsedMs },
        report,
      });
      return report;
    },
    'dns:query': async ({ name, type }) => {
      // Lookups are short, but a renderer must not be able to fire thousands at once.
      if (queriesInFlight >= LIMITS.concurrentQueries) throw new HandlerError({ code: 'BUSY', message: `${LIMITS.concurrentQueries} DNS lookups are already running; try again in a moment.` });
      queriesInFlight += 1;
      const controller = new AbortController();
      const settings = store.getSettings();
      const timer = setTimeout(() => controller.abort(), settings.timeoutSeconds * 1000 * 2);
      try {
        return await engine.dnsQuery(name, type, { settings, signal: controller.signal });
      } finally {
        clearTimeout(timer);
        queriesInFlight -= 1;
      }
    },
    'job:cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'plan:build': async ({ profile, importIds, observations }) => {
      const existing = importIds.map(importedFile);
      const plan = await engine.buildPlan(profile, existing, observations);
      return { planId: plans.add(plan), plan };
    },
    'connectors:import': ({ file }) => {
      const preview = engine.importConnectors(file);
      // Only a file without problems can be used by a plan, so only such a file is kept.
      return preview.problems.length === 0 ? { importId: imports.add(file), ...preview } : preview;
    },
    'profiles:list': () => [...store.listProfiles()],
    'profiles:save': ({ profile }) => {
      store.saveProfile(profile);
      return { saved: true };
    },
    'profiles:delete': ({ name }) => ({ deleted: store.deleteProfile(name) }),
    'profiles:last': () => ({ profile: store.lastProfile() }),
    'profiles:select': ({ name }) => {
      if (!store.selectProfile(name)) throw new HandlerError({ code: 'NOT_FOUND', message: `There is no saved profile called "${name}".`, where: 'name' });
      return { selected: true };
    },
    'settings:get': () => store.getSettings(),
    'settings:set': async ({ settings }) => {
      if (deps.mode === 'electron') {
        // The desktop app's renderer never names a file: CA files come from the dialog in main (settings:addCaFile).
        const current = store.getSettings();
        for (const list of ['caFiles', 'publicCaFiles'] as const) {
          const known = new Set(current[list]);
          const added = settings[list].findIndex((file) => !known.has(file));
          if (added >= 0) throw new HandlerError({ code: 'INPUT', message: 'Choose CA files with the "Add CA file" button.', where: `settings.${list}.${added}` });
        }
      }
      await engine.checkCaFiles?.(settings.caFiles);
      await engine.checkCaFiles?.(settings.publicCaFiles, 'publicCaFiles');
      return store.setSettings(settings);
    },
    'settings:addCaFile': async ({ list }) => {
      if (!deps.chooseCaFile) throw new HandlerError({ code: 'UNAVAILABLE', message: 'In the browser, type the CA file\'s full path in the field instead.' });
      const file = await deps.chooseCaFile();
      const current = store.getSettings();
      if (file === undefined || current[list].includes(file)) return { added: false, settings: current };
      const next = { ...current, [list]: [...current[list], file] };
      const parsed = requests['settings:set'].input.safeParse({ settings: next });
      if (!parsed.success) throw new HandlerError(fromZodError(parsed.error));
      await engine.checkCaFiles?.(next[list], list);
      return { added: true, settings: store.setSettings(parsed.data.settings) };
    },
    'observations:list': ({ profileName }) => [...store.listObservations(profileName)],
    'observations:save': ({ profileName, observations }) => {
      store.saveObservations(profileName, observations);
      return { saved: true };
    },
    'history:list': () => [...store.listHistory()],
    'history:get': ({ id }) => {
      const record = store.getHistory(id);
      if (!record) throw new HandlerError({ code: 'NOT_FOUND', message: 'That run is no longer in the history.', where: 'id' });
      return record;
    },
    'history:delete': ({ id }) => ({ deleted: store.deleteHistory(id) }),
    'report:export': ({ format, subject }) =>
      exportBuiltSubject(exportable(subject), format, { generatedAt: new Date(clock.now()) }),
    'message:analyze': (input) => analyzeMessageRequest(input, store),
    ...partnerHandlers(deps, runJob),
  };
}

/** Every finding of a check, its probes' included. */
export function checkFindings(report: CheckReport): Finding[] {
  return [...report.findings, ...report.mx.flatMap((mx) => mx.probes.flatMap((probe) => probe.findings))];
}

