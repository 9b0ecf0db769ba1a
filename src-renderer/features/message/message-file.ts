import { MESSAGE_LIMITS } from '../../../src-main/contract/message';
import type { DroppedMessage } from '../../state/app-state';

/**
 * A dropped or chosen file as the `message:analyze` request takes it: its
 * bytes in base64, refused here when larger than the limit so 20 MB never
 * crosses to main.
 */
export async function readMessageFile(file: File): Promise<DroppedMessage | { readonly error: string }> {
  if (file.size > MESSAGE_LIMITS.inputBytes) {
    return { error: `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; at most 10 MB is read. Save the message without its attachments, or paste its headers.` };
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { fileName: file.name.slice(0, MESSAGE_LIMITS.fileNameLength), base64: toBase64(bytes) };
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) binary += String.fromCharCode(...bytes.subarray(i, i + step));
  return btoa(binary);
}

/** Does a drag carry files (not text or a link being dragged across the window)? */
export function carriesFiles(types: readonly string[] | DOMStringList | undefined): boolean {
  return types !== undefined && Array.from(types as ArrayLike<string>).includes('Files');
}
