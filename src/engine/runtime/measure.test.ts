/**
 * MeasureRuntime's failure paths, on stand-ins for WebGPU and onnxruntime-web (no GPU): a failed
 * run reports ORT's own message even though ORT's session release then throws a bare C++
 * exception address, and what ORT prints meanwhile (the profile's opening `[`) stays off stdout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fdWriteCapture } from './capture';
import { MeasureRuntime } from './measure';
import type { MeasureRequest } from './types';

const RUN_ERROR =
  'failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: shader_helper.cc:308 Too many storage buffers ' +
  'in shader. Current: 9, Max is 8';

class GPUBuffer {
  destroy() {}
}
class GPUDevice {
  limits = { maxBufferSize: 1 << 28, maxStorageBufferBindingSize: 1 << 27 };
  features = new Set<string>();
  lost = new Promise<never>(() => {});
  createBuffer() {
    return new GPUBuffer();
  }
  addEventListener() {}
  removeEventListener() {}
  destroy() {}
}

const saved: Record<string, PropertyDescriptor | undefined> = {};
beforeAll(() => {
  const adapter = {
    features: new Set<string>(),
    limits: {},
    info: { vendor: 'fake', architecture: '', device: '', description: '' },
    requestDevice: async () => new GPUDevice(),
  };
  const globals: Record<string, unknown> = {
    GPUDevice,
    GPUBuffer,
    navigator: { gpu: { requestAdapter: async () => adapter } },
  };
  for (const [k, v] of Object.entries(globals)) {
    saved[k] = Object.getOwnPropertyDescriptor(globalThis, k);
    Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  }
});
afterAll(() => {
  for (const [k, d] of Object.entries(saved)) {
    if (d) Object.defineProperty(globalThis, k, d);
    else delete (globalThis as Record<string, unknown>)[k];
  }
});

/** A stdout that records what reaches it outside a capture. */
function fakeStdout() {
  const written: string[] = [];
  const fs = {
    writeSync(fd: number, data: string | Uint8Array): number {
      if (fd === 1) written.push(String(data));
      return 1;
    },
  };
  return { fs, written };
}

/** onnxruntime-web whose session fails as ORT 1.30 did on a Split of 8 outputs. */
function fakeOrt(session: Record<string, unknown>) {
  return {
    env: { wasm: {} },
    Tensor: class {},
    InferenceSession: { create: async () => session },
  } as unknown as typeof import('onnxruntime-web');
}

const request: MeasureRequest = { model: new Uint8Array(), feeds: {}, nodes: [], cacheMode: 'lazyRelease' };

describe('MeasureRuntime when onnxruntime fails', () => {
  it("reports the run's own message, not the address the session's release then throws", async () => {
    const { fs, written } = fakeStdout();
    const session = {
      run: async () => {
        throw new Error(RUN_ERROR);
      },
      endProfiling: () => {},
      // ORT's destructor ends profiling: it prints the profile's `[`, then its WebGPU profiler
      // throws (a C++ exception: emscripten throws its address).
      release: async () => {
        fs.writeSync(1, '[\n');
        throw 10574824;
      },
    };
    const runtime = new MeasureRuntime({
      capture: fdWriteCapture(fs),
      loadOrt: async () => fakeOrt(session),
    });
    await expect(runtime.measureStep(request)).rejects.toThrow(`run: ${RUN_ERROR}`);
    expect(written).toEqual([]);
  });

  it('a release that fails after a good run is a failure of its own, with a message', async () => {
    const { fs, written } = fakeStdout();
    const session = {
      run: async () => ({}),
      endProfiling: () => fs.writeSync(1, '[\n]\n'),
      release: async () => {
        throw 10574824;
      },
    };
    const runtime = new MeasureRuntime({
      capture: fdWriteCapture(fs),
      loadOrt: async () => fakeOrt(session),
    });
    await expect(runtime.measureStep(request)).rejects.toThrow(
      /^release: onnxruntime-web threw a C\+\+ exception \(at address 10574824\)/,
    );
    expect(written).toEqual([]);
  });
});
