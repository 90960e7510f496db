/**
 * Where the PyTorch snapshot's section goes: loaded (with recharts, in a chunk of its own) only
 * once a snapshot is opened.
 */
import { lazy, Suspense } from 'react';
import { useAppState } from '../StoreContext';

const TorchSection = lazy(() => import('./TorchSection').then((m) => ({ default: m.TorchSection })));

export function TorchSlot() {
  const opened = useAppState((s) => s.torchSnapshot !== null);
  if (!opened) return null;
  return (
    <Suspense fallback={<p className="panel muted">Loading the snapshot’s view…</p>}>
      <TorchSection />
    </Suspense>
  );
}
