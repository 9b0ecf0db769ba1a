import { realpath } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

/**
 * Finding the built renderer's files from a URL path, for the two places
 * that serve them: the desktop app's `app://` protocol and browser mode's
 * bridge. Nothing outside the renderer folder may be reached, by any spelling
 * of `..` or by a symbolic link.
 */

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

/** Whether `file`, with every symbolic link resolved, still lies inside `root` (also resolved). */
export async function insideRealRoot(root: string, file: string): Promise<boolean> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    return realFile.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
  } catch {
    return false;
  }
}

