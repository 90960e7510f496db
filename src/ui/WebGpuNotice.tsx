/** Says plainly when this browser cannot measure, why, and what to do instead. */
import { useAppState } from './StoreContext';

export function WebGpuNotice() {
  const webgpu = useAppState((s) => s.webgpu);
  if (!webgpu || webgpu.available) return null;
  return (
    <section
      className="notice"
      role="alert"
      data-testid="webgpu-notice"
      aria-labelledby="webgpu-notice-title"
    >
      <h2 id="webgpu-notice-title">WebGPU is unavailable, so this page cannot measure</h2>
      <p>
        Headroom measures memory by running the training step on your GPU through WebGPU; it plans it without
        one.{' '}
        <span data-testid="webgpu-reason">
          {webgpu.reason ? `Reason: ${webgpu.reason}.` : 'This browser does not offer a WebGPU adapter.'}
        </span>
      </p>
      <p>To measure:</p>
      <ul>
        <li>open this page in Chrome or Edge 113 or newer, on desktop;</li>
        <li>
          on Linux, or where the GPU is blocklisted, enable <code>chrome://flags/#enable-unsafe-webgpu</code>{' '}
          (and <code>#enable-vulkan</code> on Linux), then restart the browser;
        </li>
        <li>
          or measure from a terminal with the Headroom command-line tool (<code>npx headroom --help</code>),
          which runs the same engine on WebGPU in Node.
        </li>
      </ul>
      <p>
        Everything planned still works without WebGPU — the curves, the max batch for your budget, each step
        op by op and the comparison: only Measure stays off.
      </p>
    </section>
  );
}
