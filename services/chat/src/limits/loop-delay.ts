/** The smoothed lateness after a tick `delayMs` late: each tick weighs a fifth, so one pause fades within a few ticks. */
export const smoothed = (previousMs: number, delayMs: number): number => previousMs * 0.8 + delayMs * 0.2;

/** Every new send is refused once the loop runs this many times as late as the shedding start. */
export const SHED_ALL_AT = 4;

/**
 * The share of new sends to refuse while the loop runs `lateMs` late: none
 * up to `startMs`, rising in proportion to every send at `SHED_ALL_AT` ×
 * `startMs`; a start of 0 never sheds. Proportional, not all-or-nothing: a
 * gateway near its limit runs about as late as any threshold, and refusing
 * every send there (each refusal retried later, in a burst) swings it from
 * idle to overloaded and back, where refusing the excess settles it at the
 * rate it can take.
 */
export function shedShare(lateMs: number, startMs: number): number {
  if (startMs <= 0 || lateMs <= startMs) return 0;
  return Math.min(1, (lateMs - startMs) / ((SHED_ALL_AT - 1) * startMs));
}

/**
 * How late this process's event loop runs: a timer every `sampleMs`
 * measures how late it fires, smoothed over the last few ticks, so a lone
 * GC pause does not count but a saturated CPU (every tick late) or a long
 * stall does. A late loop makes every ack, Redis reply and Kafka request
 * wait behind it, so new work is better refused than taken. The timer runs
 * before the loop reads its sockets, so requests read after a stall
 * already see it.
 */
export class LoopDelay {
  private readonly timer: NodeJS.Timeout | undefined;
  private lateMs = 0;

  constructor(
    private readonly shedStartMs: number,
    sampleMs = 20,
  ) {
    if (shedStartMs <= 0) return;
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      this.lateMs = smoothed(this.lateMs, Math.max(0, now - last - sampleMs));
      last = now;
    }, sampleMs).unref();
  }

  /** The share of new sends to refuse now (`shedShare`). */
  get shedShare(): number {
    return shedShare(this.lateMs, this.shedStartMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
