/** The WebGPU adapter the page measures on, or that it is still checking / has none. */
import { useAppState } from './StoreContext';

export function WebGpuBadge() {
  const webgpu = useAppState((s) => s.webgpu);
  const [state, text] = !webgpu
    ? ['pending', 'Checking WebGPU…']
    : webgpu.available
      ? ['ok', `WebGPU: ${webgpu.adapter ?? 'available'}`]
      : ['missing', 'WebGPU unavailable'];
  return (
    <p className={`badge badge-${state}`} data-testid="webgpu-status" data-state={state}>
      {text}
    </p>
  );
}
