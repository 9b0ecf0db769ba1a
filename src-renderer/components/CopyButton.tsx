import { useState } from 'react';
import { copyText } from './download';

/** Copies text and says so in words (a live region, for screen readers too). */
export function CopyButton({ text, label, testId }: { readonly text: string; readonly label: string; readonly testId?: string }) {
  const [said, setSaid] = useState('');
  return (
    <span className="copy-button">
      <button type="button" data-testid={testId} onClick={() => void copyText(text).then(setSaid)}>
        {label}
      </button>
      <span className="copy-status" role="status">{said}</span>
    </span>
  );
}
