import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSwiftShader, openNodeGpu, swiftShaderEnv, swiftShaderSelected } from './nodeGpu';
import { describeWithVulkan, measuringEnv, spawnIn } from './testing/spawn';

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

describeWithVulkan('device loss on the real runtime', () => {
  it(
    'a device destroyed before the 3rd point: the runtime sees the loss and takes a fresh device itself',
    { timeout: 5 * 60_000 },
    async () => {
      const r = await spawnIn('npx', ['tsx', 'src/cli/testing/deviceLossSweep.ts'], { env: measuringEnv() });
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as {
        points: { batch: number; measured: boolean; peakLiveBytes: number | null; error: unknown }[];
        resets: number;
        devices: number;
        ranOn: number[];
        lostReason: string | null;
        controlPeakLiveBytes: number;
      };
      // What happens: destroy() resolves device.lost at once, MeasureRuntime forgets the lost device
      // and requests a new one for point 3, so no point fails and the sweep never has to reset.
      expect(out.lostReason).toBe('destroyed');
      expect(out.points.map((p) => [p.batch, p.measured, p.error])).toEqual([
        [1, true, null],
        [2, true, null],
        [3, true, null],
        [4, true, null],
      ]);
      expect(out.ranOn).toEqual([0, 0, 1, 1]);
      expect([out.devices, out.resets]).toEqual([2, 0]);
      // The fresh device measures point 3 exactly as the first device did before the loss.
      expect(out.points[2]!.peakLiveBytes).toBe(out.controlPeakLiveBytes);
    },
  );
});
