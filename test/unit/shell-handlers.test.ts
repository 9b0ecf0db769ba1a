/**
 * The handler table's job limits with a stand-in engine: cancelling answers at
 * once but keeps the job's slot until the engine's work has really stopped
 * (a start-cancel loop must not pile up background work), finished and failed
 * jobs always free their slot, and DNS lookups are bounded too.
 */
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src-main/contract/api';
import type { ApiResult } from '../../src-main/contract/api';
import type { CheckReport } from '../../src-main/contract/check';
import type { DnsAnswer } from '../../src-main/contract/dns';
import { createHandlers } from '../../src-main/handlers/create-handlers';
import type { EngineDeps, HandlerDeps } from '../../src-main/handlers/types';
import { createMemoryStore, emptyStoreData } from '../../src-main/store/index';

interface Pending {
  readonly signal: AbortSignal;
  readonly finish: () => void;
  readonly fail: (error: Error) => void;
}

/** An engine whose checks run until the test finishes them: they see the abort but stop only when told. */
function slowEngine() {
  const checks: Pending[] = [];
  const lookups: Array<() => void> = [];
  const report = (domain: string): CheckReport => ({ domain, domainUnicode: domain, startedAt: new Date(0).toISOString(), elapsedMs: 1, resolver: 'test', findings: [], mx: [] }) as unknown as CheckReport;
  const answer: DnsAnswer = { name: 'example.com', type: 'A', outcome: 'nxdomain', records: [], elapsedMs: 1, server: 'test' } as unknown as DnsAnswer;
  const engine: EngineDeps = {
    runCheck: (domain, { signal }) =>
      new Promise<CheckReport>((resolve, reject) => {
        checks.push({ signal, finish: () => resolve(report(domain)), fail: reject });
      }),
    probe: () => Promise.reject(new Error('not used')),
    dnsQuery: () => new Promise<DnsAnswer>((resolve) => lookups.push(() => resolve(answer))),
    buildPlan: () => {
      throw new Error('not used');
    },
    importConnectors: () => ({ fileName: 'x', connectors: [], problems: [] }),
  };
  return { engine, checks, lookups };
}

function handlersWith(engine: EngineDeps) {
  const deps: HandlerDeps = {
    mode: 'browser',
    appName: 'test',
    version: '0',
    store: createMemoryStore(emptyStoreData()),
    engine,
    emit: () => undefined,
    clock: { now: () => Date.now() },
  };
  return createHandlers(deps);
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const errorCode = (result: ApiResult<unknown>) => (result.ok ? 'ok' : result.error.code);

describe('jobs: cancel, clean-up and limits', () => {
  it('answers CANCELLED at once, aborts the engine, and frees the slot only when the engine has stopped', async () => {
    const { engine, checks } = slowEngine();
    const handlers = handlersWith(engine);
    const running = handlers['check:run']({ jobId: 'a', domain: 'example.com', probe: false });
    await tick();
    expect(handlers.jobs.size).toBe(1);
    const cancel = await handlers['job:cancel']({ jobId: 'a' });
    expect(cancel).toEqual({ ok: true, value: { cancelled: true } });
    expect(errorCode(await running)).toBe('CANCELLED');
    expect(checks[0]?.signal.aborted).toBe(true);
    // The engine has not wound down yet: the slot is still taken.
    expect(handlers.jobs.size).toBe(1);
    checks[0]?.finish();
    await tick();
    expect(handlers.jobs.size).toBe(0);
  });

  it('does not let a start-and-cancel loop run more engine work than the limit', async () => {
    const { engine, checks } = slowEngine();
    const handlers = handlersWith(engine);
    const results: Array<ApiResult<unknown>> = [];
    for (let i = 0; i < LIMITS.concurrentJobs * 3; i += 1) {
      const run = handlers['check:run']({ jobId: `j${i}`, domain: 'example.com', probe: false });
      await tick();
      await handlers['job:cancel']({ jobId: `j${i}` });
      results.push(await run);
    }
    expect(checks).toHaveLength(LIMITS.concurrentJobs);
    expect(results.filter((r) => errorCode(r) === 'BUSY')).toHaveLength(LIMITS.concurrentJobs * 2);
    for (const check of checks) check.finish();
    await tick();
    expect(handlers.jobs.size).toBe(0);
    const again = handlers['check:run']({ jobId: 'after', domain: 'example.com', probe: false });
    await tick();
    checks.at(-1)?.finish();
    expect((await again).ok).toBe(true);
  });

  it('frees the slot of a job that finished and of one that failed', async () => {
    const { engine, checks } = slowEngine();
    const handlers = handlersWith(engine);
    const ok = handlers['check:run']({ jobId: 'ok', domain: 'example.com', probe: false });
    const bad = handlers['check:run']({ jobId: 'bad', domain: 'example.com', probe: false });
    await tick();
    checks[0]?.finish();
    checks[1]?.fail(new Error('boom\n    at secret (/home/x/file.ts:1:1)'));
    expect((await ok).ok).toBe(true);
    const failed = await bad;
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error.message).not.toContain('secret');
    expect(handlers.jobs.size).toBe(0);
    expect(await handlers['job:cancel']({ jobId: 'ok' })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('sends no progress for a job after its result is in', async () => {
    const progress: string[] = [];
    let late: (() => void) | undefined;
    const engine: EngineDeps = {
      ...slowEngine().engine,
      runCheck: async (domain, { onProgress }) => {
        onProgress({ step: 'dns:MX', status: 'done' });
        late = () => onProgress({ step: 'dns:TXT _dmarc.parent', status: 'failed' });
        return { domain, domainUnicode: domain, startedAt: new Date(0).toISOString(), elapsedMs: 1, resolver: 'test', findings: [], mx: [] } as unknown as CheckReport;
      },
    };
    const handlers = createHandlers({
      mode: 'browser', appName: 'test', version: '0', store: createMemoryStore(emptyStoreData()), engine,
      emit: (channel, payload) => { if (channel === 'job:progress') progress.push((payload as { step: string }).step); },
      clock: { now: () => Date.now() },
    });
    expect((await handlers['check:run']({ jobId: 'done', domain: 'example.com', probe: false })).ok).toBe(true);
    late?.();
    expect(progress).toEqual(['dns:MX']);
  });

  it('bounds DNS lookups running at once', async () => {
    const { engine, lookups } = slowEngine();
    const handlers = handlersWith(engine);
    const running = Array.from({ length: LIMITS.concurrentQueries }, () => handlers['dns:query']({ name: 'example.com', type: 'A' }));
    await tick();
    expect(errorCode(await handlers['dns:query']({ name: 'example.com', type: 'A' }))).toBe('BUSY');
    for (const finish of lookups) finish();
    for (const result of await Promise.all(running)) expect(result.ok).toBe(true);
    const next = handlers['dns:query']({ name: 'example.com', type: 'A' });
    await tick();
    lookups.at(-1)?.();
    expect((await next).ok).toBe(true);
  });
});

describe('settings cannot aim lookups at any port on the network', () => {
  it('takes DNS servers on port 53 anywhere, other ports only on this computer; DoH on 443 unless local', async () => {
    const handlers = handlersWith(slowEngine().engine);
    const set = (settings: Record<string, unknown>) => handlers['settings:set']({ settings: { dnsServers: [], timeoutSeconds: 5, caFiles: [], ...settings } });
    for (const dnsServers of [['1.1.1.1'], ['192.0.2.53:53'], ['[2001:db8::1]:53'], ['127.0.0.1:5300'], ['[::1]:5300']]) {
      expect((await set({ dnsServers })).ok, dnsServers[0]).toBe(true);
    }
    for (const dnsServers of [['10.0.0.5:22'], ['192.0.2.53:445'], ['[2001:db8::1]:8053']]) {
      const result = await set({ dnsServers });
      expect(result.ok, dnsServers[0]).toBe(false);
      if (!result.ok) expect(result.error).toMatchObject({ code: 'INPUT', where: 'settings.dnsServers.0' });
    }
    for (const doh of ['https://dns.example/dns-query', 'https://dns.example:443/dns-query', 'https://127.0.0.1:8443/dns-query']) {
      expect((await set({ doh })).ok, doh).toBe(true);
    }
    for (const doh of ['https://10.0.0.5:8443/dns-query', 'https://user:secret@dns.example/dns-query', 'http://dns.example/dns-query']) {
      const result = await set({ doh });
      expect(result.ok, doh).toBe(false);
      if (!result.ok) expect(result.error.where).toBe('settings.doh');
    }
  });
});

describe('History severity follows the delivery verdict (issue 8)', () => {
  it('a domain whose CertificateValidation fails on every MX is a failure in History, though its findings are only warnings', async () => {
    const { withVerdict } = await import('../../src-main/engine/checks/index');
    const probe = {
      host: 'mx.example.com', address: '192.0.2.1', port: 25, mode: 'starttls', starttls: true, tls: { version: 'TLSv1.3', cipher: 'x' },
      stages: [{ name: 'connect', status: 'ok', startMs: 0, durationMs: 1 }, { name: 'banner', status: 'ok', startMs: 1, durationMs: 1 }],
      certificates: [], certificateVerdict: null, banner: 'mx.example.com ESMTP', bannerHost: null, ehloHost: null, capabilities: null, capabilitiesTls: null,
      rcptReply: null, dane: [], daneAuthenticated: null, transcript: [], transcriptTruncated: false, elapsedMs: 5,
      findings: [{ code: 'TLS_CERT_SELF_SIGNED', severity: 'warn', area: 'certificate', subject: 'mx.example.com (192.0.2.1:25)', message: 'self-signed', explanation: 'x', fix: 'y', evidence: [] }],
      predictions: [
        { direction: 'outbound', setting: 'EncryptionOnly', verdict: 'pass', reason: 'ok', fix: 'Nothing to do.', reasons: [] },
        { direction: 'outbound', setting: 'CertificateValidation', verdict: 'fail', ndr: '450 4.7.320', reason: 'UntrustedRoot', fix: 'CA', reasons: [{ kind: 'chain', text: 'UntrustedRoot', fix: 'CA' }] },
      ],
    };
    const report = withVerdict({
      schemaVersion: 1, domain: 'example.com', domainUnicode: 'example.com', startedAt: new Date(0).toISOString(), elapsedMs: 1, resolver: 'test',
      findings: [...probe.findings], mx: [{ host: 'mx.example.com', preference: 10, addresses: ['192.0.2.1'], tlsa: [], probes: [probe] }],
    } as unknown as CheckReport);
    const store = createMemoryStore(emptyStoreData());
    const handlers = createHandlers({
      mode: 'browser', appName: 'test', version: '0', store, emit: () => undefined, clock: { now: () => Date.now() },
      engine: { ...slowEngine().engine, runCheck: async () => report },
    });
    expect((await handlers['check:run']({ jobId: 'h', domain: 'example.com', probe: true })).ok).toBe(true);
    expect(report.verdict?.worst).toBe('fail');
    expect(store.listHistory()[0]?.worstSeverity).toBe('fail');
  });
});
