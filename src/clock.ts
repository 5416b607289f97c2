/**
 * The node's one source of time. Every layer that waits (SIP transactions and dialogs, the registrar,
 * the call layer's ring and call limits, the media engine's timeouts) takes a Clock, so tests drive
 * retransmissions and timeouts with a manual clock instead of waiting for real seconds.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin; only differences matter. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Opaque to callers; each clock hands back its own kind of handle. */
export type TimerHandle = { readonly __timer: unique symbol } | object;

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending timer must never keep the process alive on its own: close() decides the end.
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A wait on `clock` that can be cancelled; `cancel()` leaves `promise` pending forever. */
export interface Delay {
  readonly promise: Promise<void>;
  cancel(): void;
}

export function delay(clock: Clock, ms: number): Delay {
  let handle: TimerHandle | undefined;
  const promise = new Promise<void>((resolve) => {
    handle = clock.setTimeout(resolve, ms);
  });
  return { promise, cancel: () => { if (handle !== undefined) clock.clearTimeout(handle); } };
}

/** Resolves after `ms` on `clock`, or at once when `signal` aborts (then the timer is cleared). */
export function pause(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.resolve();
  const wait = delay(clock, ms);
  return new Promise<void>((resolve) => {
    const onAbort = (): void => {
      wait.cancel();
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    void wait.promise.then(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
