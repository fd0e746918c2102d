import { collectDefaultMetrics, register } from 'prom-client';

let collecting = false;

/** Process metrics (CPU, memory, event loop lag, GC) once per process, whatever calls it first. */
export function collectProcessMetrics(): void {
  if (collecting) return;
  collecting = true;
  collectDefaultMetrics({ register });
}
