/**
 * Parses the Chrome-trace JSON that onnxruntime-web's `session.endProfiling()` prints.
 *
 * Two kinds of events matter:
 * - "Node" events (`<node>_kernel_time`), one per executed node in execution order, with the
 *   op type, provider and each output's element type and shape;
 * - "Api" events named `<node>&<opType>&<program>`, one per GPU program dispatch of the native
 *   WebGPU EP, in dispatch order, with `args.shapes` ("inputs[0] = {2,4,8} outputs[0] = {...}")
 *   and the kernel's GPU duration (µs). These exist only when the device has `timestamp-query`.
 */
import { ELEMENT_BYTES, type ElementType } from '../vocabulary';

export interface ProfileTensor {
  dtype: ElementType;
  shape: number[];
  /** Element count × element size. */
  bytes: number;
}

export interface ProfileNode {
  name: string;
  opType: string;
  provider: string;
  /** ORT's node index in the graph. */
  index: number;
  inputs: ProfileTensor[];
  outputs: ProfileTensor[];
  /** ORT's `output_size` (sum of output bytes). */
  outputSize: number;
  /** CPU-side wall time of the node, µs. */
  durUs: number;
  ts: number;
}

export interface ProfileKernel {
  node: string;
  opType: string;
  program: string;
  inputShapes: number[][];
  outputShapes: number[][];
  /** GPU time of the dispatch, µs. */
  durUs: number;
  ts: number;
}

export interface ParsedProfile {
  nodes: ProfileNode[];
  kernels: ProfileKernel[];
  /** Number of `model_run` events seen; nodes are those of the last run. */
  runs: number;
}

/** An element type from onnxruntime's profile; throws for one Headroom does not know. */
function elementType(dtype: string): ElementType {
  if (!(dtype in ELEMENT_BYTES)) throw new Error(`profile: unknown element type ${JSON.stringify(dtype)}`);
  return dtype as ElementType;
}

interface RawEvent {
  cat?: string;
  name?: string;
  ts?: number;
  dur?: number;
  args?: Record<string, unknown>;
}

/** Finds the JSON array in text printed line by line (possibly with other output around it). */
export function extractTraceEvents(text: string): RawEvent[] {
  const start = text.indexOf('[');
  const end = text.lastIndexOf(']');
  if (start < 0 || end < start) throw new Error('profile: no JSON array in the captured output');
  const parsed: unknown = JSON.parse(text.slice(start, end + 1));
  if (!Array.isArray(parsed)) throw new Error('profile: output is not a JSON array');
  return parsed as RawEvent[];
}

function tensors(list: unknown): ProfileTensor[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: unknown) =>
    Object.entries(entry as Record<string, unknown>).map(([name, dims]) => {
      const dtype = elementType(name);
      const shape = Array.isArray(dims) ? dims.map(Number) : [];
      return { dtype, shape, bytes: shape.reduce((a, b) => a * b, 1) * ELEMENT_BYTES[dtype] };
    }),
  );
}

/** "inputs[0] = {2,4,8} inputs[1] = {} outputs[0] = {2,8,4} " -> shapes by role. */
export function parseKernelShapes(s: string): { inputs: number[][]; outputs: number[][] } {
  const out = { inputs: [] as number[][], outputs: [] as number[][] };
  for (const m of s.matchAll(/(inputs|outputs)\[(\d+)\]\s*=\s*\{([^}]*)\}/g)) {
    const dims = m[3]!.trim() === '' ? [] : m[3]!.split(',').map((d) => Number(d.trim()));
    out[m[1] as 'inputs' | 'outputs'][Number(m[2])] = dims;
  }
  return out;
}

function num(v: unknown): number {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

export function parseProfile(text: string): ParsedProfile {
  const events = extractTraceEvents(text);
  const runsEv = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const lastRun = runsEv.at(-1);
  const inLastRun = (e: RawEvent) =>
    !lastRun || (num(e.ts) >= num(lastRun.ts) && num(e.ts) <= num(lastRun.ts) + num(lastRun.dur));

  const nodes: ProfileNode[] = events
    .filter((e) => e.cat === 'Node' && e.name?.endsWith('_kernel_time') && inLastRun(e))
    .map((e) => {
      const a = e.args ?? {};
      return {
        name: e.name!.slice(0, -'_kernel_time'.length),
        opType: String(a.op_name ?? ''),
        provider: String(a.provider ?? ''),
        index: num(a.node_index),
        inputs: tensors(a.input_type_shape),
        outputs: tensors(a.output_type_shape),
        outputSize: num(a.output_size),
        durUs: num(e.dur),
        ts: num(e.ts),
      };
    });

  const kernels: ProfileKernel[] = events
    .filter((e) => e.cat === 'Api' && typeof e.name === 'string' && e.name.includes('&'))
    .map((e) => {
      const parts = e.name!.split('&');
      const program = parts.pop()!;
      const opType = parts.pop()!;
      const shapes = parseKernelShapes(String(e.args?.shapes ?? ''));
      return {
        node: parts.join('&'),
        opType,
        program,
        inputShapes: shapes.inputs,
        outputShapes: shapes.outputs,
        durUs: num(e.dur),
        ts: num(e.ts),
      };
    });

  return { nodes, kernels, runs: runsEv.length };
}
