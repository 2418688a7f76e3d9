/**
 * `promise`'s value, or `undefined` once `ms` have passed, whichever comes first; the timer is
 * cleared either way, so a wait that ended early leaves nothing behind to keep the process up.
 * A rejection of `promise` passes through: callers that only wait catch it first.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, expiry]);
  } finally {
    clearTimeout(timer);
  }
}
