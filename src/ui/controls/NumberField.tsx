/**
 * One numeric setting: a range slider for quick changes and a number box for exact values (the box
 * accepts the control's full range, the slider a sensible one), labelled, with its error beside it.
 * Test ids: `input-<id>`, `slider-<id>`, `error-<id>`.
 */
import type { ChangeEvent } from 'react';

export interface NumberFieldProps {
  id: string;
  label: string;
  /** A short note under the label, e.g. the symbol used in the docs. */
  hint?: string;
  value: number;
  slider: { min: number; max: number; step?: number };
  /**
   * The only values the slider offers (ascending), e.g. the head counts that divide the embedding
   * size: the slider moves over their positions, so dragging it never makes an invalid model.
   */
  sliderValues?: readonly number[];
  /** The number box's bounds. */
  min: number;
  max: number;
  error?: string;
  disabled?: boolean;
  onChange(value: number): void;
}

export function NumberField(p: NumberFieldProps) {
  const inputId = `input-${p.id}`;
  const errorId = `error-${p.id}`;
  const hintId = `hint-${p.id}`;
  const describedBy = p.hint ? `${hintId} ${errorId}` : errorId;
  // valueAsNumber is NaN for an empty box; the store reports that as a missing value.
  const fromEvent = (e: ChangeEvent<HTMLInputElement>) => p.onChange(e.currentTarget.valueAsNumber);
  const invalid = p.error ? true : undefined;
  const shown = Number.isNaN(p.value)
    ? p.slider.min
    : Math.min(Math.max(p.value, p.slider.min), p.slider.max);
  const values = p.sliderValues;
  // With a list of values the slider's position is an index into it (the nearest value at or below).
  const position = values
    ? Math.max(
        0,
        values.findLastIndex((v) => v <= shown),
      )
    : shown;
  const fromSlider = (e: ChangeEvent<HTMLInputElement>) => {
    const at = e.currentTarget.valueAsNumber;
    p.onChange(values ? (values[at] ?? values.at(-1) ?? at) : at);
  };
  return (
    <div className={`hr-field${p.error ? ' hr-invalid' : ''}`} data-disabled={p.disabled || undefined}>
      <div className="hr-field-head">
        <label htmlFor={inputId}>{p.label}</label>
        <input
          id={inputId}
          data-testid={inputId}
          className="hr-number"
          type="number"
          inputMode="numeric"
          min={p.min}
          max={p.max}
          step={1}
          value={Number.isNaN(p.value) ? '' : p.value}
          disabled={p.disabled}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={fromEvent}
        />
      </div>
      {p.hint && (
        <p id={hintId} className="hr-hint">
          {p.hint}
        </p>
      )}
      <input
        data-testid={`slider-${p.id}`}
        className="hr-slider"
        type="range"
        aria-label={`${p.label} slider`}
        min={values ? 0 : p.slider.min}
        max={values ? values.length - 1 : p.slider.max}
        step={values ? 1 : (p.slider.step ?? 1)}
        value={position}
        aria-valuetext={String(values ? (values[position] ?? shown) : shown)}
        disabled={p.disabled}
        aria-invalid={invalid}
        aria-describedby={errorId}
        onChange={fromSlider}
      />
      <p id={errorId} data-testid={errorId} className="hr-error" role="alert">
        {p.error ?? ''}
      </p>
    </div>
  );
}
