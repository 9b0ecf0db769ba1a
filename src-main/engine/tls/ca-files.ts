import { readFile, stat } from 'node:fs/promises';
import { InputError } from '../../contract/errors';
import { caFilePathRule } from '../../contract/rules';
import { visibleText } from '../../contract/text';

/** A CA file is a few certificates: anything larger is not one. */
export const MAX_CA_FILE_BYTES = 1024 * 1024;

/** How the caller names a CA file in its messages, and where the error points (a settings field, an option). */
export type CaFileNaming = (file: string, index: number) => { readonly label: string; readonly where: string; readonly hint?: string };

const defaultNaming: CaFileNaming = (file, index) => ({ label: `The CA file "${visibleText(file)}"`, where: `caFiles.${index}` });

/**
 * Reads extra trusted CA files (PEM), for the app's settings and the CLI's
 * --ca-file alike: bounded in size, local paths only (no network or device
 * paths: contract/rules.ts), and refused with one line. Every failure of the
 * file itself (missing, a folder, too large, unreadable, no certificate in it)
 * gets the same words, so the settings cannot be used to find out which files
 * exist on this computer. The text is used as trust anchors only; it never
 * goes back to the renderer.
 */
export async function readCaFiles(files: readonly string[], naming: CaFileNaming = defaultNaming): Promise<string[]> {
  return Promise.all(files.map(async (file, index) => {
    const { label, where, hint } = naming(file, index);
    const pathProblem = caFilePathRule(file);
    if (pathProblem) throw new InputError(`The CA file ${pathProblem}.`, where);
    const unusable = new InputError(`${label} cannot be used: it must be a readable PEM certificate file of at most 1 MB on this computer${hint ? `; ${hint}` : ''}.`, where);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile() || info.size > MAX_CA_FILE_BYTES) throw unusable;
    const text = await readFile(file, 'utf8').catch(() => '');
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw unusable;
    return text;
  }));
}
