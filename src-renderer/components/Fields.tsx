import { useEffect, useId, useState, type ReactNode } from 'react';
import { splitList } from '../state/profile-form';

/**
 * Form fields with their message next to them (`aria-describedby`,
 * `aria-invalid`), so each answer is checked where it is given.
 */
interface FieldBase {
  readonly label: string;
  readonly error?: string | undefined;
  readonly hint?: string;
  readonly testId?: string;
}

function FieldMessages({ id, hint, error }: { id: string; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {hint && (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          <span aria-hidden="true">✗ </span>
          {error}
        </span>
      )}
    </>
  );
}

const describedBy = (id: string, hint?: string, error?: string) => [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

export function TextField({ label, value, onChange, error, hint, testId, placeholder }: FieldBase & { readonly value: string; readonly onChange: (v: string) => void; readonly placeholder?: string }) {
  const id = useId();
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} type="text" value={value} placeholder={placeholder} data-testid={testId} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} onChange={(e) => onChange(e.currentTarget.value)} />
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}

/** A list typed as text (commas, spaces or new lines between items). */
export function ListField({ label, value, onChange, error, hint, testId, placeholder }: FieldBase & { readonly value: readonly string[]; readonly onChange: (v: string[]) => void; readonly placeholder?: string }) {
  const id = useId();
  const [raw, setRaw] = useState(value.join(', '));
  // Follow changes made elsewhere (e.g. loading another profile) without fighting the typist.
  useEffect(() => {
    if (splitList(raw).join('\u0000') !== value.join('\u0000')) setRaw(value.join(', '));
  }, [value]);
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={raw}
        placeholder={placeholder}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint ?? 'Separate several with commas.', error)}
        onChange={(e) => {
          setRaw(e.currentTarget.value);
          onChange(splitList(e.currentTarget.value));
        }}
      />
      <FieldMessages id={id} hint={hint ?? 'Separate several with commas.'} error={error} />
    </div>
  );
}

export function ChoiceField<T extends string>({ label, value, options, onChange, error, hint, testId }: FieldBase & { readonly value: T; readonly options: readonly { value: T; label: string }[]; readonly onChange: (v: T) => void }) {
  const id = useId();
  return (
    <fieldset className={`field choice${error ? ' invalid' : ''}`} data-testid={testId} aria-describedby={describedBy(id, hint, error)}>
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
