import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { insideRealRoot, MIME_TYPES, safeJoin } from '../static/static-paths';

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

export function sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}
