import { useState } from 'react';
import type { Diagram, ExportFormat, ExportRequestSubject } from '../../../src-main/contract/api';
import { useApi } from '../../api/ApiContext';
import { ErrorMessage } from '../../components/Messages';
import { saveText } from '../../components/download';

const FORMATS: readonly { format: ExportFormat; label: string }[] = [
  { format: 'json', label: 'JSON' },
  { format: 'md', label: 'Markdown' },
  { format: 'html', label: 'Printable HTML' },
];
/** Only a plan has a PowerShell script: commented, and safe to run twice. */
const PLAN_FORMATS: readonly { format: ExportFormat; label: string }[] = [...FORMATS, { format: 'ps1', label: 'PowerShell script (.ps1)' }];

/** Export a run or a plan: main writes the report, the renderer saves it as a download. */
export function ExportButtons({ subject, label, withDiagram }: { readonly subject: ExportRequestSubject; readonly label: string; /** A plan's diagram, laid out when a plan is saved as HTML. */ readonly withDiagram?: () => Diagram }) {
  const api = useApi();
  const [error, setError] = useState<string | undefined>();
  const [said, setSaid] = useState('');
  const exportAs = async (format: ExportFormat): Promise<void> => {
    setError(undefined);
    const full: ExportRequestSubject = subject.kind === 'plan' && format === 'html' && withDiagram ? { ...subject, diagram: withDiagram() } : subject;
    const result = await api.request('report:export', { format, subject: full });
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    saveText(result.value.fileName, result.value.mimeType, result.value.text);
    setSaid(`Saved ${result.value.fileName}.`);
  };
  return (
    <div className="export-buttons" role="group" aria-label={label} data-testid="export-buttons">
      <span className="export-label">{label}:</span>
      {(subject.kind === 'plan' ? PLAN_FORMATS : FORMATS).map((f) => (
        <button key={f.format} type="button" data-testid={`export-${f.format}`} onClick={() => void exportAs(f.format)}>
          {f.label}
        </button>
      ))}
      <span role="status" className="muted">
        {said}
      </span>
      {error && <ErrorMessage message={`Export failed: ${error}`} />}
    </div>
  );
}
