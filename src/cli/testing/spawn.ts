/**
 * For tests that run the real CLI (or a script) in a child process, on WebGPU: Dawn reads
 * LD_LIBRARY_PATH only at process start, so measured runs cannot happen inside Vitest's workers.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { SWIFTSHADER_ICD, swiftShaderEnv } from '../nodeGpu';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));

/** Preloaded into every child that spawnIn starts: see liftoff.mjs (wasm on Liftoff only). */
const LIFTOFF = new URL('./liftoff.mjs', import.meta.url).href;

/** `env` with the Liftoff preload added to NODE_OPTIONS (children of that child inherit it). */
export function withLiftoff(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const preload = `--import=${LIFTOFF}`;
  const current = env.NODE_OPTIONS ?? '';
  if (current.includes(preload)) return env;
  return { ...env, NODE_OPTIONS: current ? `${current} ${preload}` : preload };
}

/** Why no WebGPU adapter can be had here (no SwiftShader ICD and no Vulkan loader), or null. */
export function vulkanMissing(): string | null {
  if (existsSync(SWIFTSHADER_ICD) || process.env.VK_ICD_FILENAMES) return null;
  try {
    if (/libvulkan\.so\.1/.test(execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }))) return null;
  } catch {
    // no ldconfig on PATH
  }
  return `no Vulkan: neither ${SWIFTSHADER_ICD} (apt-get install chromium) nor a system libvulkan.so.1`;
}

/** Whether we run under CI (`CI` set to anything but "", "0" or "false"). */
export function underCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return !!ci && ci !== '0' && ci !== 'false';
}

/**
 * `describe` for tests that need a WebGPU adapter in a child process (Vulkan: SwiftShader or a GPU).
 * Without one, under CI the suite fails with one test saying what is missing; elsewhere it is
 * skipped with a warning.
 */
export function describeWithVulkan(name: string, body: () => void): void {
  const missing = vulkanMissing();
  if (!missing) {
    describe(name, body);
    return;
  }
  if (underCI()) {
    describe(name, () => {
      it('has a WebGPU adapter (Vulkan) to run on', () => {
        throw new Error(
          `${missing}. Under CI (CI=${process.env.CI}) the GPU tests fail rather than skip: install ` +
            'Chromium (Debian/Ubuntu: apt-get install -y chromium) for SwiftShader, or a Vulkan driver',
        );
      });
    });
    return;
  }
  console.warn(`skipped "${name}": ${missing} (under CI this fails)`);
  describe.skip(name, body);
}

/** The environment for a child that measures: SwiftShader where its ICD is here, else inherited. */
export function measuringEnv(): NodeJS.ProcessEnv {
  return existsSync(SWIFTSHADER_ICD) && !process.env.VK_ICD_FILENAMES
    ? { ...process.env, ...swiftShaderEnv() }
    : { ...process.env };
}

export interface Spawned {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  /** The child's environment (default: this process's); the Liftoff preload is always added. */
  env?: NodeJS.ProcessEnv;
  /** Called with the child and everything it has written to stderr so far, on each chunk. */
  onStderr?: (child: ReturnType<typeof spawn>, stderr: string) => void;
}

export function spawnIn(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<Spawned> {
  const child = spawn(cmd, args, {
    cwd: REPO,
    env: withLiftoff(opts.env ?? process.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    opts.onStderr?.(child, stderr);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** `node bin/headroom.mjs ...args` (what `npx headroom` runs). */
export const headroom = (args: string[], opts?: SpawnOptions) =>
  spawnIn(process.execPath, ['bin/headroom.mjs', ...args], opts);
