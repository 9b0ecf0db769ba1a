import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Protocol } from 'electron';
import { RENDERER_CSP } from '../contract/api';
import { insideRealRoot, MIME_TYPES, safeJoin } from '../static/static-paths';

/**
 * The desktop app's pages come from `app://mailflow/`, a privileged scheme of
 * our own, not from `file://`.
 *
 * Why: a `file://` page is same-origin with every file on the disk, and
 * Electron grants the file protocol extra privileges (the
 * GrantFileProtocolExtraPrivileges fuse, now off in electron-builder.yml). Our
 * scheme serves only the built renderer's files, each with the CSP, and
 * nothing outside the renderer folder by any spelling of `..` or a link.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'mailflow';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Must run before the app is ready (Electron's rule for privileged schemes). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } }]);
}

export function serveApp(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request.url));
}

const HEADERS = { 'Content-Security-Policy': RENDERER_CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };

const notFound = (): Response => new Response('Not found.', { status: 404, headers: { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });

/** The answer to one `app://` request: a file of the renderer folder, or 404. */
export async function appResponse(rendererDir: string, requestUrl: string): Promise<Response> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return notFound();
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return notFound();
  const file = safeJoin(rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
  if (!file) return notFound();
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile() || !(await insideRealRoot(rendererDir, file))) return notFound();
  const body = await readFile(file);
  return new Response(body, { status: 200, headers: { ...HEADERS, 'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' } });
}
