/**
 * One setting picked from a list: a labelled select with its error beside it (test ids `<id>` and
 * `error-<id>`), keyboard-operable as any select.
 */
export interface ChoiceFieldProps<T extends string> {
  id: string;
  label: string;
  value: T;
  choices: readonly T[];
  /** What each choice says (default: its name). */
  labels?: Partial<Record<T, string>>;
  error?: string;
  onChange(value: T): void;
}

export function ChoiceField<T extends string>(p: ChoiceFieldProps<T>) {
  const errorId = `error-${p.id}`;
  return (
    <div className={`hr-field${p.error ? ' hr-invalid' : ''}`}>
      <label htmlFor={p.id}>{p.label}</label>{' '}
      <select
        id={p.id}
        data-testid={p.id}
        value={p.value}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={errorId}
        onChange={(e) => {
          const v = p.choices.find((c) => c === e.currentTarget.value);
          if (v !== undefined) p.onChange(v);
        }}
      >
        {p.choices.map((c) => (
          <option key={c} value={c}>
            {p.labels?.[c] ?? c}
          </option>
        ))}
      </select>
      <p id={errorId} data-testid={errorId} className="hr-error" role="alert">
        {p.error ?? ''}
      </p>
    </div>
  );
}
