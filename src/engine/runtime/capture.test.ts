import { describe, expect, it } from 'vitest';
import { fdWriteCapture, installConsoleTap } from './capture';

describe('installConsoleTap', () => {
  it('captures console.log only while capturing, even through an earlier bind', () => {
    const capture = installConsoleTap();
    const bound = console.log.bind(console); // what emscripten does when ORT's wasm loads
    const text = capture(() => {
      bound('[');
      bound('{"cat":"Node"}', 1);
      bound(']');
    });
    expect(text).toBe('[\n{"cat":"Node"} 1\n]');
    expect(capture(() => {})).toBe('');
    expect(installConsoleTap()).toBeTypeOf('function');
  });
});

describe('fdWriteCapture', () => {
  it('captures one fd and passes the others through', () => {
    const written: [number, string][] = [];
    const fs = {
      writeSync(fd: number, data: string | Uint8Array): number {
        written.push([fd, String(data)]);
        return 1;
      },
    };
    const capture = fdWriteCapture(fs);
    const text = capture(() => {
      fs.writeSync(1, '[\n');
      fs.writeSync(2, 'warning');
      fs.writeSync(1, new TextEncoder().encode(']\n'));
    });
    expect(text).toBe('[\n]\n');
    expect(written).toEqual([[2, 'warning']]);
    fs.writeSync(1, 'after');
    expect(written.at(-1)).toEqual([1, 'after']);
  });
});
