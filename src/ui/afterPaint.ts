/**
 * A value shown one frame late: the parts of a view that can wait (the chart's legend and data
 * table, the max-batch list) take a new value only after the browser has painted the frame that
 * shows the rest. useDeferredValue was meant to do this, but React renders a deferred value in the
 * next task, which Chromium often runs before the frame: the chart waited for the list's render.
 * Every value that changed before a frame is applied together, in one transition (one render,
 * yielding to input), in a task after that frame's paint.
 */
import { startTransition, useEffect, useState } from 'react';

type Apply = () => void;
const pending = new Map<object, Apply>();
let scheduled = false;

function flush(): void {
  scheduled = false;
  const updates = [...pending.values()];
  pending.clear();
  startTransition(() => {
    for (const apply of updates) apply();
  });
}

/** Runs `apply` after the next frame's paint (a task queued from that frame's animation callback). */
function afterNextPaint(owner: object, apply: Apply): () => void {
  pending.set(owner, apply);
  if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(() => setTimeout(flush, 0));
  }
  return () => {
    if (pending.get(owner) === apply) pending.delete(owner);
  };
}

/** `value` once the frame after its change has been painted; until then the previous value. */
export function useAfterPaint<T>(value: T): T {
  const [shown, setShown] = useState(value);
  const [owner] = useState(() => ({}));
  useEffect(() => {
    if (Object.is(value, shown)) return;
    return afterNextPaint(owner, () => setShown(() => value));
  }, [owner, value, shown]);
  return shown;
}
