import { formatBytes } from './format';

/** A byte count, readable, with the exact number on hover. */
export function Bytes({ value }: { value: number }) {
  return <span title={`${value.toLocaleString('en-US')} bytes`}>{formatBytes(value)}</span>;
}
