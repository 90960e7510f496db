import { describe, expect, it } from 'vitest';
import { classifyUsage, getTracer, installTracer, USAGE } from './tracer';

/** Minimal stand-ins for the WebGPU interfaces: the tracer only wraps their prototypes. */
function fakeWebGpu() {
  class GPUBuffer {
    destroyed = 0;
    constructor(readonly size: number) {}
    destroy() {
      this.destroyed++;
    }
  }
  class GPUBindGroup {}
  class GPUDevice {
    createBuffer(d: { size: number; usage: number }) {
      return new GPUBuffer(d.size);
    }
    createBindGroup(_d: unknown) {
      return new GPUBindGroup();
    }
    destroy() {}
  }
  class GPUComputePassEncoder {
    setBindGroup(_i: number, _g: unknown) {}
    dispatchWorkgroups(_x: number) {}
  }
  class GPUCommandEncoder {
    copyBufferToBuffer(..._a: unknown[]) {}
  }
  class GPUQueue {
    writeBuffer(..._a: unknown[]) {}
    submit(_b: unknown[]) {}
  }
  const g = { GPUBuffer, GPUDevice, GPUComputePassEncoder, GPUCommandEncoder, GPUQueue };
  return {
    g,
    device: new GPUDevice(),
    pass: new GPUComputePassEncoder(),
    enc: new GPUCommandEncoder(),
    queue: new GPUQueue(),
  };
}

const S = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;

describe('classifyUsage', () => {
  it('separates tensor storage from runtime overhead', () => {
    expect(classifyUsage(S | 0x100)).toBe('storage');
    expect(classifyUsage(USAGE.UNIFORM | USAGE.COPY_DST)).toBe('uniform');
    expect(classifyUsage(USAGE.MAP_READ | USAGE.COPY_DST)).toBe('staging');
    expect(classifyUsage(USAGE.MAP_WRITE | USAGE.COPY_SRC)).toBe('staging');
    expect(classifyUsage(USAGE.QUERY_RESOLVE | USAGE.COPY_SRC | USAGE.COPY_DST)).toBe('query');
  });
});

describe('installTracer', () => {
  it('records creates, destroys (once), bindings, copies, writes and marks in one order', () => {
    const { g, device, pass, enc, queue } = fakeWebGpu();
    const t = installTracer(g);
    expect(installTracer(g)).toBe(t);
    expect(getTracer(g)).toBe(t);

    t.mark('step-start');
    const a = device.createBuffer({ size: 256, usage: S });
    const u = device.createBuffer({ size: 16, usage: USAGE.UNIFORM | USAGE.COPY_DST });
    const st = device.createBuffer({ size: 256, usage: USAGE.MAP_WRITE | USAGE.COPY_SRC });
    expect(a).toBeInstanceOf(g.GPUBuffer);
    enc.copyBufferToBuffer(st, 0, a, 0, 256);
    queue.writeBuffer(u, 0, new Uint8Array(16));
    const group = device.createBindGroup({
      entries: [
        { binding: 0, resource: { buffer: a } },
        { binding: 1, resource: u },
      ],
    });
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(1);
    queue.submit([]);
    st.destroy();
    st.destroy();
    expect(st.destroyed).toBe(2); // the original still runs

    expect(t.events.map((e) => e.kind)).toEqual([
      'mark',
      'create',
      'create',
      'create',
      'copy',
      'write',
      'dispatch',
      'submit',
      'destroy',
    ]);
    expect(t.events.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const [idA, idU, idSt] = [t.idOf(a), t.idOf(u), t.idOf(st)];
    expect(t.events[4]).toMatchObject({ kind: 'copy', src: idSt, dst: idA, size: 256 });
    expect(t.events[5]).toMatchObject({ kind: 'write', dst: idU, size: 16 });
    expect(t.events[6]).toMatchObject({ kind: 'dispatch', buffers: [idA, idU] });
    expect(t.events[8]).toMatchObject({ kind: 'destroy', id: idSt, size: 256, cls: 'staging' });
    expect(t.liveBytes('storage')).toBe(256);
    expect(t.liveBytes('uniform')).toBe(16);
  });

  it('counts buffers freed by GPUDevice.destroy() as implicit destroys', () => {
    const { g, device } = fakeWebGpu();
    const t = installTracer(g);
    device.createBuffer({ size: 64, usage: S });
    device.destroy();
    expect(t.events.at(-1)).toMatchObject({ kind: 'destroy', size: 64, implicit: true });
    expect(t.live.size).toBe(0);
  });

  it('never counts buffers created on a device already lost (a failing step may go on creating some)', () => {
    const { g, device } = fakeWebGpu();
    const t = installTracer(g);
    device.createBuffer({ size: 64, usage: S });
    device.destroy();
    device.createBuffer({ size: 128, usage: S });
    expect(t.live.size).toBe(0);
    // a device lost without destroy() (reported through device.lost) is the same
    const other = new g.GPUDevice();
    other.createBuffer({ size: 32, usage: S });
    t.onDeviceDestroy(other);
    other.createBuffer({ size: 32, usage: S });
    expect(t.live.size).toBe(0);
    expect(t.liveBytes('storage')).toBe(0);
  });

  it('slices and trims by seq', () => {
    const { g } = fakeWebGpu();
    const t = installTracer(g);
    const a = t.mark('a');
    const b = t.mark('b');
    t.mark('c');
    expect(t.slice(a + 1, b + 1).map((e) => e.seq)).toEqual([b]);
    t.trim(b);
    expect(t.events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('refuses a realm without WebGPU', () => {
    expect(() => installTracer({})).toThrow(/no WebGPU/);
  });
});
