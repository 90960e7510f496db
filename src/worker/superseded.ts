/**
 * The error of work a newer request made stale ('Superseded'): a request dropped before it started
 * (planPool.ts), a fit question stopped between two plans (planWorkerApi.ts). Callers tell it from
 * a real failure by its name.
 */
export function supersededError(message = 'superseded by a newer request before it started'): Error {
  const e = new Error(message);
  e.name = 'Superseded';
  return e;
}
