/** Hands the app store to the components, so tests and previews can mount the UI over any HeadroomApi. */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from '../state/store';

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/**
 * Subscribes to one slice of the app state. The selector must return a primitive or a reference the
 * store already holds (derive new arrays with useMemo), or React re-renders forever.
 */
export function useAppState<T>(selector: (state: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppState must be used inside <StoreProvider>');
  return useStore(store, selector);
}

/** The store itself, for handlers that read the state once when they run (no subscription). */
export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore must be used inside <StoreProvider>');
  return store;
}
