import { describe, expect, it } from 'vitest';
import { ErrorValueSchema, HTTP_TOKEN_HEADER, type MailflowWindowApi } from '../../src-main/contract/api';
import { createHttpClient } from '../../src-renderer/api/http-transport';
import { createIpcClient } from '../../src-renderer/api/ipc-transport';
import { pickTransport } from '../../src-renderer/api/pick-transport';

/** Records what the HTTP client sends and answers like the bridge would. */
function recordingFetch(reply: (url: string, init: RequestInit) => { status: number; body: string }) {
  const sent: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    const { status, body } = reply(url, init);
    return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { sent, fetchImpl };
}

/** An EventSource stand-in the test drives by name, like the bridge's `event: <name>` frames. */
class ScriptedEventSource {
  static last: ScriptedEventSource | undefined;
  readonly handlers = new Map<string, ((m: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {
    ScriptedEventSource.last = this;
  }
  addEventListener(name: string, fn: (m: MessageEvent<string>) => void): void {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), fn]);
  }
  fire(name: string, data: string): void {
    for (const fn of this.handlers.get(name) ?? []) fn({ data } as MessageEvent<string>);
  }
}

describe('HTTP transport', () => {
  it('posts the input to /api/<channel> with the token header and returns the result value', async () => {
    const { sent, fetchImpl } = recordingFetch(() => ({ status: 200, body: JSON.stringify({ ok: true, value: { cancelled: true } }) }));
    const client = createHttpClient({ token: 'secret', fetchImpl });
    const result = await client.request('job:cancel', { jobId: 'j1' });
    expect(result).toEqual({ ok: true, value: { cancelled: true } });
    expect(sent[0]!.url).toBe('/api/job:cancel');
    expect(sent[0]!.init.method).toBe('POST');
    expect((sent[0]!.init.headers as Record<string, string>)[HTTP_TOKEN_HEADER]).toBe('secret');
    expect(JSON.parse(sent[0]!.init.body as string)).toEqual({ jobId: 'j1' });
  });

  it('passes error values through and turns unreadable replies and network failures into error values', async () => {
    const refused = createHttpClient({ token: 't', fetchImpl: recordingFetch(() => ({ status: 401, body: JSON.stringify({ ok: false, error: { code: 'AUTH', message: 'Missing or wrong token.' } }) })).fetchImpl });
    expect(await refused.request('app:info', {})).toEqual({ ok: false, error: { code: 'AUTH', message: 'Missing or wrong token.' } });
    const garbage = createHttpClient({ token: 't', fetchImpl: recordingFetch(() => ({ status: 502, body: '<html>proxy</html>' })).fetchImpl });
    const bad = await garbage.request('app:info', {});
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain('502');
    const down = createHttpClient({ token: 't', fetchImpl: (async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch });
    expect(await down.request('app:info', {})).toEqual({ ok: false, error: { code: 'TRANSPORT', message: 'Failed to fetch' } });
  });

  it('without a token (a signed-in page) sends no token header: the session cookie goes with the request', async () => {
    const { sent, fetchImpl } = recordingFetch(() => ({ status: 200, body: JSON.stringify({ ok: true, value: { cancelled: true } }) }));
    const client = createHttpClient({ fetchImpl });
    await client.request('job:cancel', { jobId: 'j1' });
    expect(sent[0]!.init.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(sent[0]!.init.credentials).toBe('same-origin');
  });

  it('opens one event stream, without any secret in its address, and delivers only events that match the contract', () => {
    const client = createHttpClient({ token: 'a b', fetchImpl: recordingFetch(() => ({ status: 200, body: '{}' })).fetchImpl, eventSourceImpl: ScriptedEventSource as unknown as typeof EventSource });
    const got: unknown[] = [];
    const stop = client.subscribe('job:progress', (e) => got.push(e));
    client.subscribe('app:notice', () => undefined);
    const source = ScriptedEventSource.last!;
    expect(source.url).toBe('/api/events');
    source.fire('job:progress', JSON.stringify({ jobId: 'j', step: 'dns:MX', status: 'done', atMs: 1 }));
    source.fire('job:progress', JSON.stringify({ jobId: 'j', step: 'dns:MX', status: 'exploded', atMs: 1 }));
    source.fire('job:progress', 'not json');
    expect(got).toEqual([{ jobId: 'j', step: 'dns:MX', status: 'done', atMs: 1 }]);
    stop();
    source.fire('job:progress', JSON.stringify({ jobId: 'j', step: 'spf', status: 'done', atMs: 2 }));
    expect(got).toHaveLength(1);
  });
});

describe('IPC transport and the one-time pick', () => {
  it('calls the preload method for the channel and subscribes through onEvent', async () => {
    const seen: unknown[] = [];
    const bridge = {
      'app:info': async (input: unknown) => (seen.push(input), { ok: true, value: { name: 'Mailflow Doctor', version: '0.1.0', mode: 'electron' } }),
      onEvent: (channel: string, listener: (p: unknown) => void) => {
        listener({ level: 'info', message: `subscribed to ${channel}` });
        return () => seen.push('stopped');
      },
    } as unknown as MailflowWindowApi;
    const client = createIpcClient(bridge);
    expect(await client.request('app:info', {})).toMatchObject({ ok: true, value: { mode: 'electron' } });
    const notices: unknown[] = [];
    const stop = client.subscribe('app:notice', (n) => notices.push(n));
    stop();
    expect(notices).toEqual([{ level: 'info', message: 'subscribed to app:notice' }]);
    expect(seen).toEqual([{}, 'stopped']);
    const missing = await client.request('settings:get', {});
    expect(missing.ok).toBe(false);
  });

  it('turns a rejected IPC call into an error value', async () => {
    const client = createIpcClient({ 'app:info': async () => { throw new Error('main went away'); }, onEvent: () => () => undefined } as unknown as MailflowWindowApi);
    expect(await client.request('app:info', {})).toEqual({ ok: false, error: { code: 'TRANSPORT', message: 'main went away' } });
  });

  it('makes transport failures error values the contract knows (the TRANSPORT code is in ErrorCodeSchema), on both transports', async () => {
    const ipc = createIpcClient({ 'app:info': async () => 'not a result', onEvent: () => () => undefined } as unknown as MailflowWindowApi);
    const http = createHttpClient({ token: 't', fetchImpl: recordingFetch(() => ({ status: 502, body: '<html>bad gateway</html>' })).fetchImpl });
    const down = createHttpClient({ token: 't', fetchImpl: (async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch });
    for (const client of [ipc, http, down]) {
      const result = await client.request('app:info', {});
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(ErrorValueSchema.parse(result.error)).toEqual(result.error);
      expect(result.error.code).toBe('TRANSPORT');
    }
    const unknownChannel = await createIpcClient({ onEvent: () => () => undefined } as unknown as MailflowWindowApi).request('settings:get', {});
    expect(!unknownChannel.ok && ErrorValueSchema.safeParse(unknownChannel.error).success).toBe(true);
  });

  it('uses the preload when present, otherwise HTTP signed in by the bridge\'s cookie', async () => {
    const seen: string[] = [];
    const withBridge = Object.assign(Object.create(window), {
      mailflow: { 'app:info': async () => (seen.push('ipc'), { ok: true, value: { name: 'Mailflow Doctor', version: '0.1.0', mode: 'electron' } }), onEvent: () => () => undefined },
    });
    expect(await pickTransport(withBridge).request('app:info', {})).toMatchObject({ ok: true, value: { mode: 'electron' } });
    expect(seen).toEqual(['ipc']);
  });
});
