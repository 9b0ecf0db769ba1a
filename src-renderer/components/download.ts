/**
 * Saving text as a file from the renderer: a Blob and a temporary link with
 * `download` (no Node, no navigation, works in Electron and a browser tab).
 */
export function saveText(fileName: string, mimeType: string, text: string, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = safeFileName(fileName);
  link.rel = 'noopener';
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Keeps a suggested file name to letters, digits, dot, dash and underscore. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '').slice(0, 120);
  return cleaned || 'mailflow-doctor.txt';
}

/** Copies text; resolves to a sentence saying what happened. */
export async function copyText(text: string, clipboard: Pick<Clipboard, 'writeText'> | undefined = navigator.clipboard): Promise<string> {
  if (!clipboard) return 'Copying is not available here: select the text and copy it yourself.';
  try {
    await clipboard.writeText(text);
    return 'Copied to the clipboard.';
  } catch {
    return 'Copying was refused: select the text and copy it yourself.';
  }
}
