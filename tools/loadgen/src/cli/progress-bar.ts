import { SingleBar } from 'cli-progress';
import type { LoadProgress } from '../report/report.js';

/** A bar over the run's duration on stderr: elapsed, sent, acked, acks/s, errors. Silent when stderr is not a terminal. */
export function progressBar(durationMs: number): { update: (p: LoadProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream: process.stderr,
    format: '[{bar}] {elapsed}s | sent {sent} | acked {acked} | {rate} msg/s | errors {errors}',
    hideCursor: true,
  });
  bar.start(Math.ceil(durationMs / 1000), 0, { elapsed: 0, sent: 0, acked: 0, rate: 0, errors: 0 });
  return {
    update: (p) => {
      const elapsed = Math.floor(p.elapsedMs / 1000);
      bar.update(Math.min(elapsed, bar.getTotal()), {
        elapsed,
        sent: p.sent,
        acked: p.acked,
        rate: Math.round(p.ackedPerSecond),
        errors: p.errors,
      });
    },
    stop: () => bar.stop(),
  };
}
