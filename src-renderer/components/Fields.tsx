import { useId, useState, type ReactNode } from 'react';
import { joinList, splitList } from '../state/profile-form';

/**
 * Form fields with their message next to them (`aria-describedby`,
 * `aria-invalid`), so each answer is checked where it is given.
 */
interface FieldBase {
  readonly label: string;
  /** The problem(s) with the answer, in words; several for a list (one per bad entry). */
  readonly error?: string | readonly string[] | undefined;
  readonly hint?: string;
  readonly testId?: string;
}

function FieldMessages({ id, hint, error }: { id: string; hint?: string | undefined; error?: string | readonly string[] | undefined }) {
  const problems = messagesOf(error);
  return (
    <>
      {hint && (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      )}
      {problems.length === 1 && (
        <span id={`${id}-error`} className="field-error" role="alert">
          <span aria-hidden="true">✗ </span>
          {problems[0]}
        </span>
      )}
      {problems.length > 1 && (
        <ul id={`${id}-error`} className="field-error field-errors" role="alert">
          {problems.map((p, i) => (
            <li key={i}>
              <span aria-hidden="true">✗ </span>
              {p}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function messagesOf(error: string | readonly string[] | undefined): readonly string[] {
  if (error === undefined) return [];
  return typeof error === 'string' ? [error] : error;
}

const hasError = (error: string | readonly string[] | undefined): boolean => messagesOf(error).length > 0;

const describedBy = (id: string, hint?: string, error?: string | readonly string[]) => [hint ? `${id}-hint` : '', hasError(error) ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

export function TextField({ label, value, onChange, error, hint, testId, placeholder }: FieldBase & { readonly value: string; readonly onChange: (v: string) => void; readonly placeholder?: string }) {
  const id = useId();
  return (
    <div className={`field${hasError(error) ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} type="text" value={value} placeholder={placeholder} data-testid={testId} aria-invalid={hasError(error) ? true : undefined} aria-describedby={describedBy(id, hint, error)} onChange={(e) => onChange(e.currentTarget.value)} />
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}

const LIST_HINT = 'One per line (commas also separate).';

/**
 * A list typed as text: one entry per line, commas allowed. Spaces do not
 * separate entries, so "mail fabrikam com" is one entry the rules refuse, not
 * three hosts. Each bad entry's problem is shown under the field.
 */
export function ListField({ label, value, onChange, error, hint, testId, placeholder }: FieldBase & { readonly value: readonly string[]; readonly onChange: (v: string[]) => void; readonly placeholder?: string }) {
  const id = useId();
  const [raw, setRaw] = useState(joinList(value));
  const [following, setFollowing] = useState(value);
  // Follow changes made elsewhere (e.g. loading another profile) without fighting the typist: only when the entries differ.
  if (following !== value) {
    setFollowing(value);
    if (splitList(raw).join('\u0000') !== value.join('\u0000')) setRaw(joinList(value));
  }
  const fullHint = hint ? `${hint} ${LIST_HINT}` : LIST_HINT;
  return (
    <div className={`field${hasError(error) ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        value={raw}
        rows={Math.min(6, Math.max(2, value.length + 1))}
        placeholder={placeholder}
        data-testid={testId}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={hasError(error) ? true : undefined}
        aria-describedby={describedBy(id, fullHint, error)}
        onChange={(e) => {
          setRaw(e.currentTarget.value);
          onChange(splitList(e.currentTarget.value));
        }}
      />
      <FieldMessages id={id} hint={fullHint} error={error} />
    </div>
  );
}

export function ChoiceField<T extends string>({ label, value, options, onChange, error, hint, testId }: FieldBase & { readonly value: T; readonly options: readonly { value: T; label: string }[]; readonly onChange: (v: T) => void }) {
  const id = useId();
  return (
    <fieldset className={`field choice${hasError(error) ? ' invalid' : ''}`} data-testid={testId} aria-describedby={describedBy(id, hint, error)}>
      <legend>{label}</legend>
      {options.map((o) => (
        <label key={o.value} className="choice-option">
          <input type="radio" name={id} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
          {o.label}
        </label>
      ))}
      <FieldMessages id={id} hint={hint} error={error} />
    </fieldset>
  );
}

export function CheckField({ label, checked, onChange, hint, testId }: Omit<FieldBase, 'error'> & { readonly checked: boolean; readonly onChange: (v: boolean) => void }) {
  const id = useId();
  return (
    <div className="field check">
      <label>
        <input type="checkbox" checked={checked} data-testid={testId} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(e) => onChange(e.currentTarget.checked)} /> {label}
      </label>
      <FieldMessages id={id} hint={hint} />
    </div>
  );
}

export function Fieldset({ legend, children, onRemove, removeLabel }: { readonly legend: string; readonly children: ReactNode; readonly onRemove?: () => void; readonly removeLabel?: string }) {
  return (
    <fieldset className="group">
      <legend>{legend}</legend>
      {children}
      {onRemove && (
        <button type="button" className="quiet danger" onClick={onRemove}>
          {removeLabel ?? 'Remove'}
        </button>
      )}
    </fieldset>
  );
}
