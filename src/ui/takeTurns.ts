/**
 * Heavy views (the step timeline, the comparison, the fit advisor's answer) take turns showing a
 * new value: each starts in its own macrotask, as a transition, and the next waits until the
 * previous has committed. Values that arrive together after a move of a control then cost several
 * short main-thread tasks instead of one long React commit.
 */
import { startTransition, useEffect, useRef, useState } from 'react';

/** Longest a turn is held when its render never commits (it was superseded): the next one goes anyway. */
const TURN_TIMEOUT_MS = 400;

type Turn = () => void;
const waiting: Turn[] = [];
let holder: { release(): void } | null = null;

function next() {
  if (holder) return;
  const turn = waiting.shift();
  if (!turn) return;
  let done = false;
  const timer = setTimeout(() => release(), TURN_TIMEOUT_MS);
  const release = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    if (holder === mine) holder = null;
    setTimeout(next, 0);
  };
  const mine = { release };
  holder = mine;
  setTimeout(turn, 0);
}

/** Asks for a turn; `start` runs in a macrotask of its own and gets the function ending the turn. */
function takeTurn(start: (release: () => void) => void): () => void {
  let cancelled = false;
  const turn: Turn = () => {
    const release = holder?.release ?? (() => undefined);
    if (cancelled) release();
    else start(release);
  };
  waiting.push(turn);
  next();
  return () => {
    cancelled = true;
  };
}

/**
 * `value`, shown once this view's turn comes: until then the previous value. Like useDeferredValue
 * (React renders the new value as a transition, yielding to input), but never in the same commit
 * as another view's new value.
 */
export function useTakingTurns<T>(value: T): T {
  const [shown, setShown] = useState(value);
  const release = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    return takeTurn((end) => {
      release.current = end;
      startTransition(() => setShown(value));
    });
  }, [value, shown]);
  // The new value has committed: the next view's turn, in a later macrotask.
  useEffect(() => {
    release.current?.();
    release.current = null;
  }, [shown]);
  useEffect(() => () => release.current?.(), []);
  return shown;
}
