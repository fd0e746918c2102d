import type { Logger } from '@chat/runtime';

export interface Poller {
  /** Waits for the pass in progress, then stops. */
  stop(): Promise<void>;
}

/** Runs `pass` every `intervalMs` (never two at once) until stopped; a failing pass is logged and retried next time. */
export function startPolling(
  name: string,
  intervalMs: number,
  pass: () => Promise<unknown>,
  logger: Logger,
): Poller {
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      try {
        await pass();
      } catch (error) {
        logger.error({ err: error, poller: name }, 'periodic pass failed');
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, intervalMs);
      });
    }
  })();
  return {
    async stop() {
      running = false;
      clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}
