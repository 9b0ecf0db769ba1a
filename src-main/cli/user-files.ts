import { readFile, stat, writeFile } from 'node:fs/promises';
import { InputError } from '../contract/errors';

/**
 * Reads a file named on the command line (a profile, an export, a CA file, a
 * saved report), bounded in size. Every failure is one line that says what is
 * wrong with the file: missing, a folder, not readable, or too large. `label`
 * is how the message names it (e.g. `--ca-file ca.pem`; default the path).
 */
export async function readUserFile(file: string, maxBytes: number, label = file): Promise<Buffer> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new InputError(`${label}: not a file`, file);
    if (info.size > maxBytes) throw new InputError(`${label}: larger than ${maxBytes / 1024 / 1024} MB`, file);
    return await readFile(file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a folder' : 'cannot be read';
    throw new InputError(`${label}: ${why}`, file);
  }
}

/** Writes an output file (--out); a folder that does not exist or a read-only place is one line, not an internal error. */
export async function writeUserFile(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`, file);
  }
}
