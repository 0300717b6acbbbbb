// Loads data for a view and keeps its three states: loading, error (an ApiError), data.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api';

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  /** Loads again; `quiet` keeps the current data on screen (polling, after an action). */
  reload(quiet?: boolean): void;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({ data: null, error: null, loading: true });
  const generation = useRef(0);
  const run = useCallback(load, deps);

  const reload = useCallback(
    (quiet = false) => {
      const mine = ++generation.current;
      if (!quiet) setState((s) => ({ ...s, loading: true, error: null }));
      run().then(
        (data) => mine === generation.current && setState({ data, error: null, loading: false }),
        (error: unknown) => {
          if (mine !== generation.current) return;
          const apiError = error instanceof ApiError ? error : new ApiError(0, 'client', error instanceof Error ? error.message : String(error));
          setState((s) => ({ data: quiet ? s.data : null, error: apiError, loading: false }));
        },
      );
    },
    [run],
  );

  useEffect(() => {
    reload();
  }, [reload]);

  return { ...state, reload };
}
