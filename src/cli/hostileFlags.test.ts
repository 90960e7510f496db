/**
 * Flags a careful user or a CI job gets wrong: each is refused up front with one `error:` line
 * and exit 2 — never a crash, raw internals, or a silently different run.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './testing/runCli';

const refused: [string[], RegExp][] = [
  // sizes past what can run: the limit and its reason, not a heap overflow or zod's issue list
  [['plan', '--batch', '1000000000000'], /^error: --batch must be at most 1048576 \(the largest batch/],
  [['plan', '--seq', '1000000'], /^error: seq must be at most 65536 \(a T×T score matrix/],
  [['plan', '--vocab', '1000000000000'], /^error: vocab must be at most 16777216 \(token ids/],
  [['plan', '--layers', '100000'], /^error: layers must be at most 512/],
  [['plan', '--chunk', '1000000000'], /^error: chunk must be at most 65536/],
  [
    ['export-onnx', '--out', 'x.onnx', '--embd', '1048576', '--heads', '1'],
    /^error: embd must be at most 65536/,
  ],
  // empty values are not the defaults
  [['plan', '--max-buffer-size', ''], /^error: --max-buffer-size must be a size/],
  [['plan', '--max-binding-size', ''], /^error: --max-binding-size must be a size/],
  // a repeated flag is not "the last one wins"
  [['plan', '--seq', 'abc', '--seq', '8'], /^error: --seq is given more than once/],
  [['profile', '--out', 'a.json', '--out=b.json'], /^error: --out is given more than once/],
  // flags that would do nothing
  [['plan', '--attention-only', '--vocab', '5'], /^error: --vocab has no effect with --attention-only/],
  [['plan', '--attention-only', '--activation', 'relu'], /^error: --activation has no effect/],
  // no command
  [[], /^error: no command given/],
];

describe('hostile flags', () => {
  it.each(refused)('headroom %j', async (argv, message) => {
    const r = await runCli(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('still plans the largest allowed values without crashing', async () => {
    const r = await runCli('plan', '--preset', 'tiny', '--attention-only', '--layers', '1', '--seq', '16384');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^view\s+minimal\s+[\d.]+ \w+ !?$/m);
  });
});
