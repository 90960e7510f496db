import { formatBytes, formatCount } from './format';

/** A byte count, readable, with the exact number on hover. */
export function Bytes({ value }: { value: number }) {
  return <span title={`${formatCount(value)} bytes`}>{formatBytes(value)}</span>;
}
