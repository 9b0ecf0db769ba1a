import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HTTP_API_PREFIX, HTTP_EVENTS_PATH, HTTP_LAUNCH_PATH, HTTP_SESSION_COOKIE, HTTP_TOKEN_HEADER, RENDERER_CSP, requestByteLimit, requests } from '../contract/api';
import type { ApiResult, Channel, EventChannel, EventOf } from '../contract/api';
import type { Clock } from '../engine/clock';
import { systemClock } from '../engine/clock';
import { createHandlers } from '../handlers/create-handlers';
import { createDefaultEngine } from '../handlers/default-deps';
import { fail } from '../handlers/errors';
import type { EngineOverrides } from '../handlers/default-deps';
import type { EngineDeps } from '../handlers/types';
import { openConfStore } from '../store/conf-store';
import type { MailflowStore } from '../store/store';
import { sendText, serveStatic } from './static-files';
import { jsonDepthExceeds } from './json-depth';
import { createLaunchCodes } from './launch-codes';

/**
 * Browser mode: the app's handler table over HTTP on 127.0.0.1, and the built
 * renderer as static files. For machines where Electron cannot run, and for
 * the end-to-end tests. Never packaged with the Electron app.
 *
 * Guards (each a test in the contract and bridge-security suites): loopback
 * only; a random port; a random secret per launch, checked on every /api call
 * (constant time), sent by the page as an HttpOnly, SameSite=Strict cookie it
 * got by trading a one-time launch code (so the secret is never in a process's
 * arguments or the address bar); the Host header must name this server (DNS
 * rebinding) and a cross-site Origin is refused; bodies are capped per channel
 * and their nesting checked before JSON.parse; sockets that have not
 * authenticated get a few seconds and a small quota of their own, so they
 * cannot starve the page; the renderer is served with the same CSP as in
 * Electron.
 */
export interface BridgeOptions {
  /** 0 or absent: a random free port. */
  readonly port?: number;
  readonly host?: '127.0.0.1';
  /** Where the store file lives (default: the app's own folder). */
  readonly storeDir?: string;
  /** The built renderer (default: out/renderer of this checkout). */
  readonly rendererDir?: string;
  /** Set by the launcher (tests), never reachable from the renderer. */
  readonly engineOverrides?: EngineOverrides;
  /** Replace the whole engine (unit tests of the bridge itself). */
  readonly engine?: EngineDeps;
  /** Use this store instead of opening one (tests). */
  readonly store?: MailflowStore;
  readonly clock?: Clock;
  readonly version?: string;
}

export interface RunningBridge {
  /**
   * A new sign-in address, `http://127.0.0.1:<port>/launch?code=<code>`: the
   * code works once, within a minute, and sets the session cookie.
   */
  newLaunchUrl(): string;
  readonly origin: string;
  /** The session secret, for tools and tests that send it as the `X-Mailflow-Token` header. */
  readonly token: string;
  readonly port: number;
  readonly store: MailflowStore;
  close(): Promise<void>;
}

export { RENDERER_CSP };

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** SSE clients that fall this far behind are dropped, so a stalled tab cannot grow our memory. */
const MAX_EVENT_BACKLOG_BYTES = 1024 * 1024;
const MAX_EVENT_CLIENTS = 16;
/** Sockets that have not yet shown the secret: beyond this many, the oldest is closed. */
const MAX_UNAUTHENTICATED_SOCKETS = 16;
/** Sockets of the signed-in page (and tools with the header). */
const MAX_AUTHENTICATED_SOCKETS = 64;
/** A request's headers must arrive within this time; idle sockets without them are closed. */
const HEADERS_TIMEOUT_MS = 5_000;
/** JSON nested deeper than this is refused before it is parsed (no request of the contract needs half of it). */
const MAX_JSON_DEPTH = 64;

export const defaultRendererDir = (): string => fileURLToPath(new URL('../../out/renderer', import.meta.url));

export async function startBridge(options: BridgeOptions = {}): Promise<RunningBridge> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('The browser bridge only listens on 127.0.0.1.');
  const token = randomBytes(32).toString('base64url');
  const rendererDir = options.rendererDir ?? defaultRendererDir();
  const store = options.store ?? openConfStore(options.storeDir ? { dir: options.storeDir } : {});
  const clients = new Set<ServerResponse>();

  const emit = <E extends EventChannel>(channel: E, payload: EventOf<E>): void => {
    const frame = `event: ${channel}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const client of clients) {
      if (client.writableLength > MAX_EVENT_BACKLOG_BYTES) {
        clients.delete(client);
        client.destroy();
        continue;
      }
      client.write(frame);
    }
  };

  const handlers = createHandlers({
    mode: 'browser',
    appName: 'Mailflow Doctor',
    version: options.version ?? '0.1.0',
    store,
    engine: options.engine ?? createDefaultEngine(options.engineOverrides),
    emit,
    clock: options.clock ?? systemClock,
  });

  let port = 0;
  const allowedHosts = (): ReadonlySet<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = (): ReadonlySet<string> => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const secretOk = (candidate: string | undefined | null): boolean => {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  /** The secret from the header (tools, tests) or from the session cookie (the page). */
  const authenticated = (request: IncomingMessage): boolean =>
    secretOk(headerValue(request, HTTP_TOKEN_HEADER)) || secretOk(cookieValue(request, HTTP_SESSION_COOKIE));
  const launchCodes = createLaunchCodes(options.clock ?? systemClock);

  const server = createServer({ connectionsCheckingInterval: 1_000 }, (request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, fail({ code: 'INTERNAL', message: 'The bridge failed to answer.' }));
      else response.destroy();
    });
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = 60_000;
  const sockets = trackSockets(server);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts().has(request.headers.host ?? '')) {
      return sendJson(response, 403, fail({ code: 'HOST', message: 'This address is not served here (Host header refused).' }));
    }
    const origin = headerValue(request, 'origin');
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      request.resume();
      return sendJson(response, 403, fail({ code: 'HOST', message: 'Requests from other sites are refused.' }));
    }
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === HTTP_LAUNCH_PATH) return signIn(url, response);
    const isApi = url.pathname.startsWith(HTTP_API_PREFIX);
    if (isApi && !authenticated(request)) {
      request.resume();
      return sendJson(response, 401, fail({ code: 'AUTH', message: NOT_SIGNED_IN }));
    }
    if (isApi) sockets.markAuthenticated(request.socket);
    if (url.pathname === HTTP_EVENTS_PATH) {
      if (request.method !== 'GET') return sendJson(response, 405, fail({ code: 'NO_CHANNEL', message: 'Events are read with GET.' }));
      return openEvents(response);
    }
    if (isApi) {
      if (request.method !== 'POST') return sendJson(response, 405, fail({ code: 'NO_CHANNEL', message: 'API calls are POST requests.' }));
      const channel = safeDecode(url.pathname.slice(HTTP_API_PREFIX.length));
      if (!Object.hasOwn(requests, channel)) {
        request.resume();
        return sendJson(response, 404, fail({ code: 'NO_CHANNEL', message: `There is no API call named "${channel.slice(0, 60)}".` }));
      }
      if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
        request.resume();
        return sendJson(response, 415, fail({ code: 'BAD_JSON', message: 'Send the input as application/json.' }));
      }
      const limit = requestByteLimit(channel);
      const body = await readBody(request, limit);
      if (body === 'too-large') return sendJson(response, 413, fail({ code: 'TOO_LARGE', message: `The request is larger than ${formatBytes(limit)}, the most ${channel} takes.` }), true);
      if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) return sendJson(response, 400, fail({ code: 'BAD_JSON', message: `The request is nested more than ${MAX_JSON_DEPTH} levels deep.` }));
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        return sendJson(response, 400, fail({ code: 'BAD_JSON', message: 'The request body is not JSON.' }));
      }
      const result = await handlers[channel as Channel](input);
      return sendJson(response, 200, result);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendText(response, 405, 'Method not allowed.', SECURITY_HEADERS);
    return serveStatic(rendererDir, url.pathname, response, request.method === 'HEAD', SECURITY_HEADERS);
  }

  /** `/launch?code=`: a valid one-time code becomes the session cookie, and the page opens without any secret in its address. */
  function signIn(url: URL, response: ServerResponse): void {
    if (!launchCodes.redeem(url.searchParams.get('code') ?? '')) {
      return sendText(response, 401, LAUNCH_CODE_SPENT, SECURITY_HEADERS);
    }
    response.writeHead(303, {
      ...SECURITY_HEADERS,
      Location: '/',
      'Set-Cookie': `${HTTP_SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      'Content-Length': '0',
    });
    response.end();
  }

  /**
   * Counts sockets in two groups. Unauthenticated ones (no valid secret yet)
   * share a small quota, the oldest closed first, so idle or hostile
   * connections cannot take the places the page needs; only signed-in sockets
   * count against the real connection limit.
   */
  function trackSockets(httpServer: typeof server) {
    const unauthenticated = new Set<Socket>();
    const signedIn = new Set<Socket>();
    httpServer.on('connection', (socket: Socket) => {
      unauthenticated.add(socket);
      // Node's headersTimeout only starts with a request's first byte: a socket that says nothing needs its own clock.
      socket.setTimeout(HEADERS_TIMEOUT_MS, () => {
        if (unauthenticated.has(socket)) socket.destroy();
      });
      socket.once('close', () => {
        unauthenticated.delete(socket);
        signedIn.delete(socket);
      });
      if (unauthenticated.size > MAX_UNAUTHENTICATED_SOCKETS) {
        const oldest = unauthenticated.values().next().value;
        if (oldest) {
          unauthenticated.delete(oldest);
          oldest.destroy();
        }
      }
    });
    return {
      markAuthenticated(socket: Socket): void {
        if (!unauthenticated.delete(socket)) return;
        socket.setTimeout(0);
        if (signedIn.size >= MAX_AUTHENTICATED_SOCKETS) {
          socket.destroy();
          return;
        }
        signedIn.add(socket);
      },
    };
  }

  function openEvents(response: ServerResponse): void {
    if (clients.size >= MAX_EVENT_CLIENTS) {
      const oldest = clients.values().next().value;
      if (oldest) {
        clients.delete(oldest);
        oldest.end();
      }
    }
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    response.write(': connected\n\n');
    clients.add(response);
    response.on('close', () => clients.delete(response));
  }

  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;

  return {
    newLaunchUrl: () => `${origin}${HTTP_LAUNCH_PATH}?code=${launchCodes.issue()}`,
    origin,
    token,
    port,
    store,
    async close() {
      clearInterval(heartbeat);
      handlers.jobs.cancelAll();
      for (const client of clients) client.end();
      clients.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** A path part with %-escapes undone; a malformed escape yields text that names no channel. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const NOT_SIGNED_IN = 'This page is not signed in to Mailflow Doctor. Open the address that "mailflow-doctor web" printed (each address works once, within a minute).';
const LAUNCH_CODE_SPENT = 'This sign-in address was already used or is more than a minute old. Press Enter in the window where "mailflow-doctor web" runs for a new one, or start it again.';

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** One cookie's value from the Cookie header, or undefined. */
function cookieValue(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(response: ServerResponse, status: number, body: ApiResult<unknown>, closeConnection = false): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...(closeConnection ? { Connection: 'close' } : {}),
  });
  response.end(text);
}

/** Reads a request body, refusing (without buffering the rest) once it passes `limit` bytes. */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limit) {
    request.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    request.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        request.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    request.on('error', (error) => {
      if (!done) reject(error);
    });
  });
}
