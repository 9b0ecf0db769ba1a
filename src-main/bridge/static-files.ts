import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

/**
 * Resolves a URL path inside `root`, or undefined when it would leave it
 * (`..`, encoded slashes, NUL, absolute paths). Only the decoded path is
 * checked, after `resolve`, so no spelling of `..` gets through.
 */
export function safeJoin(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const base = resolve(root);
  const full = resolve(join(base, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`));
  return full === base || full.startsWith(base + sep) ? full : undefined;
}

const NOT_BUILT = 'The app\'s user interface is not built yet. Run "npm run web" (it builds the interface first).';

/** Sends a file of the built renderer; unknown paths without an extension get index.html (client-side routes). */
export async function serveStatic(root: string, urlPath: string, response: ServerResponse, headOnly: boolean, headers: Record<string, string>): Promise<void> {
  const requested = urlPath === '/' ? '/index.html' : urlPath;
  let file = safeJoin(root, requested);
  if (!file) return sendText(response, 400, 'Bad path.', headers);
  let info = await stat(file).catch(() => undefined);
  if ((!info || !info.isFile()) && extname(requested) === '') {
    file = join(resolve(root), 'index.html');
    info = await stat(file).catch(() => undefined);
    if (!info) return sendText(response, 503, NOT_BUILT, headers);
  }
  // A link inside the folder must not lead out of it: compare the real paths.
  if (info?.isFile() && !(await insideRealRoot(root, file))) return sendText(response, 404, 'Not found.', headers);
  if (!info || !info.isFile()) {
    if (requested === '/index.html') return sendText(response, 503, NOT_BUILT, headers);
    return sendText(response, 404, 'Not found.', headers);
  }
  response.writeHead(200, {
    ...headers,
    'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(info.size),
  });
  if (headOnly) {
    response.end();
    return;
  }
  createReadStream(file).on('error', () => response.destroy()).pipe(response);
}

/** Whether `file`, with every symbolic link resolved, still lies inside `root` (also resolved). */
export async function insideRealRoot(root: string, file: string): Promise<boolean> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    return realFile.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  } catch {
    return false;
  }
}

export function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}
