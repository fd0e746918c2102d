import { SingleBar } from 'cli-progress';
import type { Io } from './io.js';

export interface Progress {
  /** One more item done; the total grows when more arrive than were first counted. */
  tick(): void;
  done(): void;
}

/** A bar on the terminal when there is one; silent when output is captured, piped or JSON. */
export function progress(io: Io, label: string, total: number, enabled: boolean): Progress {
  if (!enabled || !io.progress || total <= 0) return { tick: () => {}, done: () => {} };
  const bar = new SingleBar({
    stream: io.progress,
    format: `${label} [{bar}] {value}/{total} ({eta}s left)`,
    hideCursor: true,
    clearOnComplete: false,
  });
  bar.start(total, 0);
  let value = 0;
  return {
    tick() {
      value += 1;
      if (value > total) bar.setTotal(value);
      bar.update(value);
    },
    done() {
      bar.update(Math.max(value, 0));
      bar.stop();
    },
  };
}
