import { useState } from 'react';
import type { ImportPreview } from '../../../src-main/contract/api';
import { LIMITS } from '../../../src-main/contract/api';
import { useApi } from '../../api/ApiContext';
import { useAppState } from '../../app-context';
import { ErrorMessage } from '../../components/Messages';
import { withExisting, type ImportedFile } from '../../state/app-state';

/**
 * Import connector exports (`Get-InboundConnector | ConvertTo-Json -Depth 5`,
 * `Get-OutboundConnector … | ConvertTo-Json -Depth 5`): the files are read as
 * text and sent once to main, which previews and keeps them; the plan names
 * them by id so gaps show on the diagram.
 */
export function ImportConnectors() {
  const api = useApi();
  const { state, dispatch, buildPlan } = useAppState();
  const [previews, setPreviews] = useState<readonly ImportPreview[]>([]);
  const [error, setError] = useState<string | undefined>();

  const onFiles = async (list: FileList | null): Promise<void> => {
    setError(undefined);
    if (!list || list.length === 0) return;
    const files: { readonly fileName: string; readonly text: string }[] = [];
    for (const file of Array.from(list).slice(0, LIMITS.importFiles)) {
      if (file.size > LIMITS.importFileBytes) {
        setError(`${file.name} is larger than 1 MB: export only the connectors (Get-InboundConnector / Get-OutboundConnector).`);
        return;
      }
      files.push({ fileName: file.name, text: await readText(file) });
    }
    // The files are independent: previewed at once, and the first failure (in the order chosen) is reported.
    const replies = await Promise.all(files.map((file) => api.request('connectors:import', { file })));
    const found: ImportPreview[] = [];
    for (const [i, preview] of replies.entries()) {
      if (!preview.ok) {
        setError(`${files[i]!.fileName}: ${preview.error.message}`);
        return;
      }
      found.push(preview.value);
    }
    setPreviews(found);
    // A file with problems is left out whole: nothing is half imported. Main keeps the usable ones; the app holds their ids.
    const usable: ImportedFile[] = found.flatMap((p) => (p.problems.length === 0 && p.importId !== undefined ? [{ fileName: p.fileName, importId: p.importId }] : []));
    if (usable.length < files.length) setError('Files with problems were not used; fix them and choose them again.');
    if (usable.length === 0) return;
    const existing = withExisting(state.existing, usable);
    dispatch({ type: 'existing-added', files: usable });
    await buildPlan({ existing });
  };

  return (
    <section className="import-connectors" aria-labelledby="import-title">
      <h3 id="import-title">Compare with the connectors you have</h3>
      <p className="muted">
        In Exchange Online PowerShell run <code>Get-InboundConnector | ConvertTo-Json -Depth 5 &gt; inbound.json</code> and{' '}
        <code>Get-OutboundConnector -IncludeTestModeConnectors $true | ConvertTo-Json -Depth 5 &gt; outbound.json</code>, then choose the files.
      </p>
      <label className="file-input">
        Connector export files (.json)
        <input type="file" accept=".json,application/json,text/plain" multiple data-testid="import-connectors-input" onChange={(e) => void onFiles(e.currentTarget.files)} />
      </label>
      {error && <ErrorMessage message={error} testId="import-error" />}
      {state.existing.length > 0 && (
        <p data-testid="imported-files">
          Compared with: {state.existing.map((f) => f.fileName).join(', ')}{' '}
          <button
            type="button"
            className="quiet"
            onClick={() => {
              dispatch({ type: 'existing-cleared' });
              setPreviews([]);
              void buildPlan({ existing: [] });
            }}
          >
            Forget imported files
          </button>
        </p>
      )}
      {previews.map((p) => (
        <div key={p.fileName} className="import-preview" data-testid="import-preview">
          {p.problems.length > 0 ? (
            <p>
              <strong>{p.fileName}</strong>: not used (nothing is imported from a file with problems).
            </p>
          ) : (
            <p>
              <strong>{p.fileName}</strong>: {p.connectors.length} connector{p.connectors.length === 1 ? '' : 's'} read
              {p.connectors.length > 0 && `: ${p.connectors.map((c) => `${c.name} (${c.direction}${c.enabled ? '' : ', disabled'})`).join(', ')}`}.
            </p>
          )}
          {p.problems.length > 0 && (
            <ul className="problems">
              {p.problems.map((problem, i) => (
                <li key={i}>
                  {/* The importer's message often starts with the file name already. */}
                  {problem.where && !problem.message.startsWith(problem.where) ? `${problem.where}: ` : ''}
                  {problem.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
    </section>
  );
}

/** File text with a UTF-16 or UTF-8 byte-order mark honoured (Windows PowerShell 5.1 writes UTF-16). */
export async function readText(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return decodeText(bytes);
}

export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  return new TextDecoder('utf-8').decode(bytes);
}
