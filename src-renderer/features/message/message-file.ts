import { useState, type DOMAttributes, type DragEvent } from 'react';
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
/**
 * Drag-and-drop of one file onto an element: whether a file is being dragged
 * over it (for the highlight), and the handlers that take the dropped file.
 * Other drags (text, links) are left to the browser.
 */
export function useFileDrop(onFile: (file: File) => void): {
  readonly over: boolean;
  readonly handlers: Pick<DOMAttributes<HTMLElement>, 'onDragOver' | 'onDragLeave' | 'onDrop'>;
} {
  const [over, setOver] = useState(false);
  return {
    over,
    handlers: {
      onDragOver: (e: DragEvent<HTMLElement>) => {
        if (!carriesFiles(e.dataTransfer?.types)) return;
        e.preventDefault();
        setOver(true);
      },
      onDragLeave: () => setOver(false),
      onDrop: (e: DragEvent<HTMLElement>) => {
        const file = e.dataTransfer?.files?.[0];
        if (!file) return;
        e.preventDefault();
        setOver(false);
        onFile(file);
      },
    },
  };
}

export function carriesFiles(types: readonly string[] | DOMStringList | undefined): boolean {
  return types !== undefined && Array.from(types as ArrayLike<string>).includes('Files');
}
