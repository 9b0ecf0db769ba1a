import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../../contract/errors';

/** A CA file is a few certificates: anything larger is not one. */
export const MAX_CA_FILE_BYTES = 1024 * 1024;

/** How the caller names a CA file in its messages, and where the error points (a settings field, an option). */
export type CaFileNaming = (file: string, index: number) => { readonly label: string; readonly where: string; readonly hint?: string };

const defaultNaming: CaFileNaming = (file, index) => ({ label: `The CA file "${file}"`, where: `caFiles.${index}` });

/**
 * Reads extra trusted CA files (PEM), for the app's settings and the CLI's
 * --ca-file alike: bounded in size, and refused with one clear line when a
 * file is missing, not a file, too large or holds no PEM certificate. The
 * text is used as trust anchors only; it never goes back to the renderer.
 */
export async function readCaFiles(files: readonly string[], naming: CaFileNaming = defaultNaming): Promise<string[]> {
  return Promise.all(files.map(async (file, index) => {
    const { label, where, hint } = naming(file, index);
    const refuse = (what: string): InputError => new InputError(`${label} ${what}${hint ? `; ${hint}` : ''}.`, where);
    const info = await stat(file).catch(() => undefined);
    if (!info) throw refuse('was not found');
    if (!info.isFile()) throw refuse('is not a file');
    if (info.size > MAX_CA_FILE_BYTES) throw refuse('is larger than 1 MB; it is not a CA certificate file');
    const text = await readFile(file, 'utf8').catch(() => {
      throw refuse('cannot be read');
    });
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw refuse('holds no PEM certificate');
    return text;
  }));
}
