import type { ReactNode } from 'react';
import { useAppState } from '../../app-context';
import { readMessageFile, useFileDrop } from './message-file';

/**
 * Wraps the diagram: a message (.eml, .msg) or an NDR dropped on it opens
 * the Message screen with that file, whose path is then drawn on the diagram.
 */
export function MessageDropTarget({ children }: { readonly children: ReactNode }) {
  const { dispatch } = useAppState();
  const { over, handlers } = useFileDrop((file) => {
    void readMessageFile(file).then((read) => {
      if ('error' in read) dispatch({ type: 'notice', level: 'error', message: read.error });
      else dispatch({ type: 'message-dropped', file: read });
    });
  });
  return (
    <div
      className={`message-drop-target${over ? ' dragging' : ''}`}
      data-testid="diagram-drop-target"
      {...handlers}
    >
      {children}
      {over && (
        <div className="message-drop-hint" aria-hidden="true">
          Drop a message or NDR (.eml, .msg) to trace it on the diagram
        </div>
      )}
    </div>
  );
}
