import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSwiftShader, openNodeGpu, swiftShaderEnv, swiftShaderSelected } from './nodeGpu';

const dir = mkdtempSync(join(tmpdir(), 'headroom-nodegpu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('choosing the adapter', () => {
  it('points Vulkan at SwiftShader and its loader', () => {
    expect(swiftShaderEnv('/opt/c/vk_swiftshader_icd.json', {})).toEqual({
      VK_ICD_FILENAMES: '/opt/c/vk_swiftshader_icd.json',
      LD_LIBRARY_PATH: '/opt/c',
    });
    expect(swiftShaderEnv('/opt/c/vk_swiftshader_icd.json', { LD_LIBRARY_PATH: '/x' }).LD_LIBRARY_PATH).toBe(
      '/opt/c:/x',
    );
    expect(swiftShaderSelected({ VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' })).toBe(true);
    expect(swiftShaderSelected({})).toBe(false);
    expect(isSwiftShader({ vendor: 'google', architecture: 'swiftshader' })).toBe(true);
    expect(isSwiftShader({ vendor: 'nvidia', architecture: 'hopper' })).toBe(false);
  });

  it('--adapter swiftshader asks for a relaunch with the environment set (no Dawn loaded)', async () => {
    const icd = join(dir, 'vk_swiftshader_icd.json');
    writeFileSync(icd, '{}');
    expect(await openNodeGpu('swiftshader', { canRelaunch: true, env: {}, icd })).toEqual({
      relaunch: { VK_ICD_FILENAMES: icd, LD_LIBRARY_PATH: dir },
    });
  });

  it('--adapter swiftshader without SwiftShader says what to install', async () => {
    const icd = join(dir, 'missing', 'vk_swiftshader_icd.json');
    await expect(openNodeGpu('swiftshader', { canRelaunch: true, env: {}, icd })).rejects.toThrow(
      `--adapter swiftshader: SwiftShader's Vulkan driver is not at ${icd}: install Chromium (Debian/Ubuntu: apt-get install chromium)`,
    );
  });
});
