import { describe, expect, it } from 'vitest';
import { BUCKET_LIMITS, BUCKETS, bufferSizeFor } from './bufferManager';

describe("onnxruntime-web's buffer manager", () => {
  it('rounds to 16 bytes, or up to the bucket table', () => {
    expect(bufferSizeFor(1, 'lazyRelease')).toBe(16);
    expect(bufferSizeFor(1024, 'lazyRelease')).toBe(1024);
    expect(bufferSizeFor(1024, 'bucket')).toBe(2048);
    expect(bufferSizeFor(16, 'bucket')).toBe(64);
    expect(bufferSizeFor(200_000_000, 'bucket')).toBe(200_000_000);
  });

  it('has a pool limit for every bucket size', () => {
    expect([...BUCKET_LIMITS.keys()]).toEqual(BUCKETS);
    for (const size of BUCKETS) {
      expect(bufferSizeFor(size, 'bucket')).toBe(size);
      expect(bufferSizeFor(size - 15, 'bucket')).toBe(size);
    }
    expect(BUCKETS).toHaveLength(26);
  });
});
