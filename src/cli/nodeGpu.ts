/**
 * WebGPU in Node for measured runs: Dawn (the `webgpu` package) as `navigator.gpu`, the
 * SharedArrayBuffer write shim and the GPU tracer installed before onnxruntime-web is imported,
 * and one MeasureRuntime for a whole sweep (ORT's first run in a process compiles every shader;
 * later sessions reuse the compiled pipelines, so one process and one runtime per sweep).
 *
 * Adapters: `gpu` is Dawn's Vulkan backend on the machine's driver; `swiftshader` is Chromium's
 * SwiftShader Vulkan driver (on the CPU; Debian's chromium package ships it with a Vulkan loader
 * in /usr/lib/chromium). Setting VK_ICD_FILENAMES in-process before `create()` is enough for the
 * Vulkan loader (it reads it when Dawn creates its instance), but Dawn opens `libvulkan.so.1`
 * through the dynamic linker, which read LD_LIBRARY_PATH when the process started. On a machine
 * without a Vulkan loader of its own, SwiftShader therefore needs a relaunch of the command with
 * both variables set: openNodeGpu asks for one and the CLI's entry point (bin/headroom.mjs) does it.
 */
// The default export: fdWriteCapture swaps its writeSync (a namespace import is read-only).
import fs, { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StepRuntime } from '../engine/profile/sweep';
import type { DeviceInfo } from '../engine/report/report';
import type { MeasureRuntime } from '../engine/runtime/measure';
import type { DeviceSummary } from '../engine/runtime/types';

export const ADAPTER_CHOICES = ['auto', 'gpu', 'swiftshader'] as const;
export type AdapterChoice = (typeof ADAPTER_CHOICES)[number];

/** Where Debian/Ubuntu's chromium package puts SwiftShader's Vulkan ICD (and a Vulkan loader). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Set in the relaunched child, so that it never relaunches again. */
export const RELAUNCHED_ENV = 'HEADROOM_RELAUNCHED';

export type AdapterKind = 'gpu' | 'swiftshader';

export interface NodeGpu {
  /** The sweep's runtime: every step on one MeasureRuntime; resetDevice starts a fresh device. */
  runtime: StepRuntime;
  measure: MeasureRuntime;
  /** The first device's summary (features included). */
  summary: DeviceSummary;
  /** The report's `device`. */
  device: DeviceInfo;
  kind: AdapterKind;
  close(): void;
}

export type OpenResult = { gpu: NodeGpu } | { relaunch: Record<string, string> };

type Env = Record<string, string | undefined>;

/** The environment that points Dawn at SwiftShader. */
export function swiftShaderEnv(icd = SWIFTSHADER_ICD, env: Env = process.env): Record<string, string> {
  const dir = dirname(icd);
  const ld = env.LD_LIBRARY_PATH ? `${dir}:${env.LD_LIBRARY_PATH}` : dir;
  return { VK_ICD_FILENAMES: icd, LD_LIBRARY_PATH: ld };
}

/** VK_ICD_FILENAMES already names a SwiftShader ICD (the user's, or a relaunch's). */
export function swiftShaderSelected(env: Env = process.env): boolean {
  return /swiftshader/i.test(env.VK_ICD_FILENAMES ?? '');
}

/** ... and the Vulkan loader beside it can be found (it is on LD_LIBRARY_PATH). */
function swiftShaderReady(env: Env): boolean {
  const icd = env.VK_ICD_FILENAMES ?? '';
  if (!swiftShaderSelected(env)) return false;
  const dirs = (env.LD_LIBRARY_PATH ?? '').split(':');
  return icd.split(':').some((f) => dirs.includes(dirname(f)));
}

export function isSwiftShader(info: {
  vendor?: string;
  architecture?: string;
  description?: string;
}): boolean {
  return /swiftshader/i.test(`${info.vendor} ${info.architecture} ${info.description}`);
}

const noSwiftShaderHelp = (icd: string) =>
  `SwiftShader's Vulkan driver is not at ${icd}: install Chromium ` +
  `(Debian/Ubuntu: apt-get install chromium), or set VK_ICD_FILENAMES to another vk_swiftshader_icd.json ` +
  `and LD_LIBRARY_PATH to the folder holding its libvulkan.so.1`;

let installed = false;

/** navigator.gpu from Dawn, the writeBuffer shim and the tracer (once per process). */
async function installWebGpu(): Promise<GPU> {
  const [{ create, globals }, { installSharedBufferWriteShim }, { installTracer }] = await Promise.all([
    import('webgpu'),
    import('../engine/runtime/shims'),
    import('../engine/runtime/tracer'),
  ]);
  if (!installed) {
    Object.assign(globalThis, globals);
    // Dawn hides shader-f16 on NVIDIA's Vulkan driver unless this toggle is on (crbug.com/tint/2164),
    // so --dtype f16 was refused on NVIDIA GPUs.
    const gpu = create(['enable-dawn-features=vulkan_enable_f16_on_nvidia']);
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
    installSharedBufferWriteShim();
    installTracer();
    installed = true;
  }
  return (globalThis.navigator as Navigator).gpu;
}

export interface OpenOptions {
  /** Whether the caller can relaunch the command with another environment (bin/headroom.mjs can). */
  canRelaunch: boolean;
  env?: Env;
  /** SwiftShader's ICD (tests point it elsewhere). */
  icd?: string;
}

/**
 * Opens WebGPU and the measuring runtime, or says which environment to relaunch with. Throws an
 * Error (exit 1) when no adapter of the kind asked for can be had.
 */
export async function openNodeGpu(choice: AdapterChoice, opts: OpenOptions): Promise<OpenResult> {
  const env = opts.env ?? process.env;
  const icd = opts.icd ?? SWIFTSHADER_ICD;
  const mayRelaunch = opts.canRelaunch && !env[RELAUNCHED_ENV];

  if (choice === 'swiftshader' && !swiftShaderReady(env)) {
    if (!swiftShaderSelected(env) && !existsSync(icd))
      throw new Error(`--adapter swiftshader: ${noSwiftShaderHelp(icd)}`);
    const want = swiftShaderSelected(env)
      ? swiftShaderEnv(env.VK_ICD_FILENAMES, env)
      : swiftShaderEnv(icd, env);
    if (mayRelaunch) return { relaunch: want };
    // No relaunch possible: works where the machine has its own Vulkan loader.
    env.VK_ICD_FILENAMES = want.VK_ICD_FILENAMES;
  }

  const gpu = await installWebGpu();
  const adapter = await gpu.requestAdapter();
  const onSwiftShader = swiftShaderSelected(env);
  if (!adapter) {
    if (mayRelaunch && choice !== 'gpu') {
      // VK_ICD_FILENAMES names SwiftShader but its loader is not on LD_LIBRARY_PATH; or auto.
      if (onSwiftShader && !swiftShaderReady(env))
        return { relaunch: swiftShaderEnv(env.VK_ICD_FILENAMES, env) };
      if (!onSwiftShader && existsSync(icd)) return { relaunch: swiftShaderEnv(icd, env) };
    }
    throw new Error(noAdapterMessage(choice, env, icd));
  }
  const found = isSwiftShader(adapter.info) ? 'swiftshader' : 'gpu';
  if (choice === 'gpu' && found === 'swiftshader')
    throw new Error(
      `--adapter gpu: the only WebGPU adapter is SwiftShader (VK_ICD_FILENAMES=${env.VK_ICD_FILENAMES ?? ''}); ` +
        'unset VK_ICD_FILENAMES to use the GPU driver',
    );
  if (choice === 'swiftshader' && found === 'gpu')
    throw new Error(`--adapter swiftshader: got a GPU adapter (${describeAdapter(adapter.info)}) instead`);

  const [{ MeasureRuntime }, { fdWriteCapture }] = await Promise.all([
    import('../engine/runtime/measure'),
    import('../engine/runtime/capture'),
  ]);
  const measure = new MeasureRuntime({ capture: fdWriteCapture(fs) });
  const { summary } = await measure.device();
  return {
    gpu: {
      runtime: {
        measureStep: (req) => measure.measureStep(req),
        resetDevice: () => measure.releaseDevice(),
      },
      measure,
      summary,
      device: {
        adapter: summary.adapter,
        vendor: summary.vendor,
        architecture: summary.architecture,
        limits: { ...summary.limits },
      },
      kind: found,
      close: () => measure.releaseDevice(),
    },
  };
}

function describeAdapter(info: GPUAdapterInfo): string {
  return (
    [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unnamed'
  );
}

function noAdapterMessage(choice: AdapterChoice, env: Env, icd: string): string {
  if (swiftShaderSelected(env))
    return (
      `no WebGPU adapter: Dawn could not load SwiftShader (VK_ICD_FILENAMES=${env.VK_ICD_FILENAMES}, ` +
      `LD_LIBRARY_PATH=${env.LD_LIBRARY_PATH ?? ''}); LD_LIBRARY_PATH must hold the folder of its libvulkan.so.1`
    );
  const gpu = 'Dawn found no Vulkan GPU (a GPU needs its Vulkan driver and libvulkan.so.1)';
  if (choice === 'gpu') return `no WebGPU adapter: ${gpu}; --adapter auto falls back to SwiftShader`;
  if (!existsSync(icd)) return `no WebGPU adapter: ${gpu}, and ${noSwiftShaderHelp(icd)}`;
  return `no WebGPU adapter: ${gpu}; run with ${Object.entries(swiftShaderEnv(icd, env))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')} for SwiftShader`;
}
