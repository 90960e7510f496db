/** One numeric setting: a slider for quick changes, a number box for exact values, and its error beside them. */
import type { ChangeEvent } from 'react';

export interface SliderFieldProps {
  /** Used in ids and test ids: `input-<id>`, `slider-<id>`, `error-<id>`. */
  id: string;
  label: string;
  /** A short note under the label, e.g. the symbol used in the docs. */
  hint?: string;
  value: number;
  /** The slider's range and step; the number box accepts anything from `min` to `max`. */
  slider: { min: number; max: number; step: number };
  min: number;
  max: number;
  error?: string;
  onChange(value: number): void;
}

export function SliderField({ id, label, hint, value, slider, min, max, error, onChange }: SliderFieldProps) {
  const inputId = `input-${id}`;
  const errorId = `error-${id}`;
  const hintId = `hint-${id}`;
  const describedBy = hint ? `${hintId} ${errorId}` : errorId;
  // valueAsNumber is NaN for an empty box; the store reports that as a missing value.
  const fromEvent = (e: ChangeEvent<HTMLInputElement>) => onChange(e.currentTarget.valueAsNumber);

  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <div className="field-head">
        <label htmlFor={inputId}>{label}</label>
        <input
          id={inputId}
          data-testid={inputId}
          className="field-number"
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={1}
          value={Number.isNaN(value) ? '' : value}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={fromEvent}
        />
      </div>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      <input
        data-testid={`slider-${id}`}
        className="field-slider"
        type="range"
        aria-label={`${label} slider`}
        min={slider.min}
        max={slider.max}
        step={slider.step}
        value={Number.isNaN(value) ? slider.min : value}
        aria-invalid={error ? true : undefined}
        aria-describedby={errorId}
        onChange={fromEvent}
      />
      <p id={errorId} data-testid={errorId} className="field-error" role="alert">
        {error ?? ''}
      </p>
    </div>
  );
}
