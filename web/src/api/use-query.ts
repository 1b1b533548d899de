// Loads a screen's data: loading, then the data or the error (with a retry). A newer request for the
// same screen (another pin opened) wins over an older one still on its way.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, graphql, takePrefetched } from './client';

export type QueryState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError; retry: () => void }
  | { status: 'ready'; data: T; reload: () => void; setData: (update: (data: T) => T) => void };

export function useQuery<T>(query: string, variables: Record<string, unknown>, required: string[]): QueryState<T> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ key: string; result: { data: T } | { error: ApiError } } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const request = ++latest.current;
    const variables = JSON.parse(key) as Record<string, unknown>;
    (takePrefetched<T>(query, variables) ?? graphql<T>(query, variables, required))
      .then(({ data }) => {
        if (request === latest.current) setState({ key, result: { data } });
      })
      .catch((error: unknown) => {
        if (request !== latest.current) return;
        const failure = error instanceof ApiError ? error : new ApiError('INTERNAL', 'Something went wrong.');
        setState({ key, result: { error: failure } });
      });
    // `required` is a constant list per screen: not a reason to load again.
  }, [query, key, attempt]);

  const retry = useCallback(() => {
    setState(null);
    setAttempt((n) => n + 1);
  }, []);
  const setData = useCallback((update: (data: T) => T) => {
    setState((current) => (current && 'data' in current.result ? { ...current, result: { data: update(current.result.data) } } : current));
  }, []);

  if (!state || state.key !== key) return { status: 'loading' };
  if ('error' in state.result) return { status: 'error', error: state.result.error, retry };
  return { status: 'ready', data: state.result.data, reload: () => setAttempt((n) => n + 1), setData };
}
