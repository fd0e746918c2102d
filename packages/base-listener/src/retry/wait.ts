import { InterruptedError } from '../errors/errors.js';

/**
 * Waits `ms` while heartbeating every `heartbeatEveryMs`, so a long backoff
 * does not cost the group membership; a shutdown ends the wait with `InterruptedError`.
 */
export async function waitWithHeartbeat(
  ms: number,
  options: { signal: AbortSignal; heartbeat: () => Promise<void>; heartbeatEveryMs: number },
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (options.signal.aborted) throw new InterruptedError();
    const left = deadline - Date.now();
    if (left <= 0) return;
    await sleep(Math.min(left, options.heartbeatEveryMs), options.signal);
    if (Date.now() < deadline) await options.heartbeat();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
