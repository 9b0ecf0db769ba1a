import type { ReactNode } from 'react';

/** What to show when there is nothing yet, with the next step in words. */
export function EmptyState({ title, children, testId }: { readonly title: string; readonly children?: ReactNode; readonly testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** An error in words, announced to screen readers. */
export function ErrorMessage({ message, testId }: { readonly message: string; readonly testId?: string }) {
  return (
    <div className="error-message" role="alert" data-testid={testId ?? 'error-message'}>
      <span aria-hidden="true">✗ </span>
      {message}
    </div>
  );
}
