/**
 * GPU allocation tracer: wraps the WebGPU API's prototypes so that every buffer any library
 * creates (onnxruntime-web included) is recorded with its size and usage, and every destroy is
 * seen. Install it before onnxruntime-web is imported (ORT's emscripten bindings look the methods
 * up on the prototypes at call time, so wrapping the prototypes is enough).
 *
 * Besides create/destroy it records what is needed to attribute buffers to kernels without
 * relying on timing: bind groups (which buffers a dispatch reads and writes), dispatches,
 * buffer-to-buffer copies (uploads, downloads), queue writes and submits, plus phase marks.
 *
 * Works wherever the WebGPU interfaces are globals: a browser window or worker, and Node with the
 * `webgpu` package's `globals` assigned to globalThis. No DOM-only or Node-only imports.
 */

/** GPUBufferUsage flags (numeric so this module needs no WebGPU globals at load time). */
export const USAGE = {
  MAP_READ: 0x1,
  MAP_WRITE: 0x2,
  COPY_SRC: 0x4,
  COPY_DST: 0x8,
  UNIFORM: 0x40,
  STORAGE: 0x80,
  QUERY_RESOLVE: 0x200,
} as const;

/** storage: tensor memory. The others are runtime overhead, counted apart. */
export type BufferClass = 'storage' | 'uniform' | 'staging' | 'query' | 'other';

export function classifyUsage(usage: number): BufferClass {
  if (usage & USAGE.QUERY_RESOLVE) return 'query';
  if (usage & (USAGE.MAP_READ | USAGE.MAP_WRITE)) return 'staging';
  if (usage & USAGE.STORAGE) return 'storage';
  if (usage & USAGE.UNIFORM) return 'uniform';
  return 'other';
}

interface EventBase {
  /** Position in one total order shared by every event and mark. */
  seq: number;
  /** performance.now() at the call, ms. */
  t: number;
}
export interface CreateEvent extends EventBase {
  kind: 'create';
  id: number;
  size: number;
  usage: number;
  cls: BufferClass;
}
export interface DestroyEvent extends EventBase {
  kind: 'destroy';
  id: number;
  size: number;
  usage: number;
  cls: BufferClass;
  /** The buffer went away with GPUDevice.destroy(), not its own destroy(). */
  implicit?: true;
}
/** A compute dispatch, with the buffers of its bind groups in group then binding order. */
export interface DispatchEvent extends EventBase {
  kind: 'dispatch';
  buffers: number[];
}
export interface CopyEvent extends EventBase {
  kind: 'copy';
  src: number;
  dst: number;
  size: number;
}
export interface WriteEvent extends EventBase {
  kind: 'write';
  dst: number;
  size: number;
}
export interface SubmitEvent extends EventBase {
  kind: 'submit';
}
export interface MarkEvent extends EventBase {
  kind: 'mark';
  name: string;
}
export type TraceEvent =
  CreateEvent | DestroyEvent | DispatchEvent | CopyEvent | WriteEvent | SubmitEvent | MarkEvent;

export interface LiveBuffer {
  id: number;
  size: number;
  usage: number;
  cls: BufferClass;
}

/** The record. One per realm; installTracer() returns it. Unknown buffers get id 0. */
export class GpuTracer {
  readonly events: TraceEvent[] = [];
  /** Buffers created and not yet destroyed, by id. */
  readonly live = new Map<number, LiveBuffer>();
  private seq = 0;
  private nextId = 1;
  private readonly ids = new WeakMap<object, number>();
  private readonly byDevice = new WeakMap<object, Set<number>>();
  /** Devices destroyed or lost. */
  private readonly lostDevices = new WeakSet<object>();
  /** The device set each live buffer is in, so a destroyed buffer leaves it. */
  private readonly deviceSetOf = new Map<number, Set<number>>();

  // Every event is written as one object literal, `seq: this.seq++, t: now()` first: spreading a
  // shared stamp (`{ ...stamp(), kind }`) cost ~1 µs an event, most of the tracer's overhead.

  /** Marks a phase (e.g. 'step-start'); returns the mark's seq. */
  mark(name: string): number {
    const e: MarkEvent = { seq: this.seq++, t: now(), kind: 'mark', name };
    this.events.push(e);
    return e.seq;
  }

  /** Events with seq >= from (and < to, if given). */
  slice(from: number, to = Infinity): TraceEvent[] {
    return this.events.filter((e) => e.seq >= from && e.seq < to);
  }

  /** Drops events older than seq `before` (the live table is kept). */
  trim(before: number): void {
    const i = this.events.findIndex((e) => e.seq >= before);
    this.events.splice(0, i < 0 ? this.events.length : i);
  }

  /** Bytes of live buffers of one class, right now. */
  liveBytes(cls: BufferClass = 'storage'): number {
    let sum = 0;
    for (const b of this.live.values()) if (b.cls === cls) sum += b.size;
    return sum;
  }

  idOf(buffer: unknown): number {
    return buffer !== null && typeof buffer === 'object' ? (this.ids.get(buffer) ?? 0) : 0;
  }

  onCreate(device: object, buffer: object, size: number, usage: number): void {
    const id = this.nextId++;
    this.ids.set(buffer, id);
    // A lost device's buffers hold nothing (onnxruntime may go on creating some while a step it
    // was running fails): they never count as live.
    if (this.lostDevices.has(device)) return;
    const cls = classifyUsage(usage);
    this.live.set(id, { id, size, usage, cls });
    let set = this.byDevice.get(device);
    if (!set) this.byDevice.set(device, (set = new Set()));
    set.add(id);
    this.deviceSetOf.set(id, set);
    this.events.push({ seq: this.seq++, t: now(), kind: 'create', id, size, usage, cls });
  }

  onDestroy(buffer: object): void {
    this.dropLive(this.idOf(buffer), false);
  }

  /** The device was destroyed or lost: its buffers are gone, and so are any it still creates. */
  onDeviceDestroy(device: object): void {
    this.lostDevices.add(device);
    for (const id of this.byDevice.get(device) ?? []) this.dropLive(id, true);
    this.byDevice.delete(device);
  }

  private dropLive(id: number, implicit: boolean): void {
    const b = this.live.get(id);
    if (!b) return; // unknown, or destroyed twice (destroy() is idempotent)
    this.live.delete(id);
    this.deviceSetOf.get(id)?.delete(id);
    this.deviceSetOf.delete(id);
    const e: DestroyEvent = {
      seq: this.seq++,
      t: now(),
      kind: 'destroy',
      id,
      size: b.size,
      usage: b.usage,
      cls: b.cls,
    };
    if (implicit) e.implicit = true;
    this.events.push(e);
  }

  onDispatch(buffers: number[]): void {
    this.events.push({ seq: this.seq++, t: now(), kind: 'dispatch', buffers });
  }
  onCopy(src: object, dst: object, size: number): void {
    this.events.push({
      seq: this.seq++,
      t: now(),
      kind: 'copy',
      src: this.idOf(src),
      dst: this.idOf(dst),
      size,
    });
  }
  onWrite(dst: object, size: number): void {
    this.events.push({ seq: this.seq++, t: now(), kind: 'write', dst: this.idOf(dst), size });
  }
  onSubmit(): void {
    this.events.push({ seq: this.seq++, t: now(), kind: 'submit' });
  }
}

const now: () => number = typeof performance !== 'undefined' ? () => performance.now() : () => Date.now();

const INSTALLED = Symbol.for('headroom.gpuTracer');

type Proto = Record<string, unknown>;
type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

function protoOf(g: Record<string, unknown>, name: string): Proto | undefined {
  const ctor = g[name] as { prototype?: Proto } | undefined;
  return ctor?.prototype;
}

/** Replaces proto[method] with a wrapper; `after` sees this, args and the result. */
function wrap(
  proto: Proto | undefined,
  method: string,
  hook: (self: object, args: unknown[], result: unknown) => void,
  before = false,
): boolean {
  const orig = proto?.[method] as AnyFn | undefined;
  if (!proto || typeof orig !== 'function') return false;
  proto[method] = function (this: object, ...args: unknown[]) {
    if (before) hook(this, args, undefined);
    const result = orig.apply(this, args);
    if (!before) hook(this, args, result);
    return result;
  };
  return true;
}

function bufferOfResource(resource: unknown): unknown {
  if (resource && typeof resource === 'object' && 'buffer' in resource) return resource.buffer;
  return resource;
}

/**
 * Installs the tracer (idempotent) and returns it. Throws if the WebGPU interfaces are not
 * globals in this realm. Must run before onnxruntime-web is imported.
 */
export function installTracer(global: object = globalThis): GpuTracer {
  const g = global as Record<string | symbol, unknown>;
  const existing = g[INSTALLED] as GpuTracer | undefined;
  if (existing) return existing;
  const deviceProto = protoOf(g as Record<string, unknown>, 'GPUDevice');
  const bufferProto = protoOf(g as Record<string, unknown>, 'GPUBuffer');
  if (!deviceProto || !bufferProto) {
    throw new Error('GPU tracer: GPUDevice/GPUBuffer are not globals here (no WebGPU in this realm)');
  }
  const tracer = new GpuTracer();
  const groups = new WeakMap<object, number[]>();
  const passGroups = new WeakMap<object, number[][]>();

  wrap(deviceProto, 'createBuffer', (device, args, buffer) => {
    const desc = args[0] as { size: number; usage: number };
    if (buffer && typeof buffer === 'object') tracer.onCreate(device, buffer, Number(desc.size), desc.usage);
  });
  // before: the destroy is recorded even if the call throws; repeats are ignored.
  wrap(bufferProto, 'destroy', (buffer) => tracer.onDestroy(buffer), true);
  wrap(deviceProto, 'destroy', (device) => tracer.onDeviceDestroy(device), true);
  wrap(deviceProto, 'createBindGroup', (_device, args, group) => {
    const desc = args[0] as { entries: Iterable<{ resource: unknown }> };
    const ids = Array.from(desc.entries, (e) => tracer.idOf(bufferOfResource(e.resource))).filter((id) => id);
    if (group && typeof group === 'object') groups.set(group, ids);
  });
  const pass = protoOf(g as Record<string, unknown>, 'GPUComputePassEncoder');
  wrap(pass, 'setBindGroup', (encoder, args) => {
    const slots = passGroups.get(encoder) ?? [];
    const group = args[1];
    slots[Number(args[0])] = group !== null && typeof group === 'object' ? (groups.get(group) ?? []) : [];
    passGroups.set(encoder, slots);
  });
  const onDispatch = (encoder: object) => tracer.onDispatch((passGroups.get(encoder) ?? []).flat());
  wrap(pass, 'dispatchWorkgroups', onDispatch, true);
  wrap(pass, 'dispatchWorkgroupsIndirect', onDispatch, true);
  wrap(protoOf(g as Record<string, unknown>, 'GPUCommandEncoder'), 'copyBufferToBuffer', (_enc, args) => {
    // (src, srcOffset, dst, dstOffset, size) or the newer (src, dst, size?)
    const fiveArgs = typeof args[1] === 'number';
    const [src, dst] = fiveArgs ? [args[0], args[2]] : [args[0], args[1]];
    const size = Number((fiveArgs ? args[4] : args[2]) ?? 0);
    tracer.onCopy(src as object, dst as object, size);
  });
  const queue = protoOf(g as Record<string, unknown>, 'GPUQueue');
  wrap(queue, 'writeBuffer', (_q, args) => {
    const data = args[2] as { byteLength?: number } | undefined;
    tracer.onWrite(args[0] as object, Number(args[4] ?? data?.byteLength ?? 0));
  });
  wrap(queue, 'submit', () => tracer.onSubmit(), true);
  g[INSTALLED] = tracer;
  return tracer;
}

/** The installed tracer, if any. */
export function getTracer(global: object = globalThis): GpuTracer | undefined {
  return (global as Record<symbol, GpuTracer | undefined>)[INSTALLED];
}
