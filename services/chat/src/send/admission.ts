import type { ErrorBody } from '@chat/contracts';
import { errorBody, refuse } from '../socket/errors.js';

/** How long an OVERLOADED client waits before it retries: from `first`, spread over the next `spread` ms. */
export const OVERLOADED_RETRY_AFTER_MS = { first: 500, spread: 500 };
const OVERLOADED_ANSWERS = 16;

/**
 * Built once, since under overload they are most of what an instance
 * answers, and handed out in turn: sends refused together (a burst, or a
 * spell of lateness) are told to come back at different times, so their
 * retries do not return as the next burst.
 */
const OVERLOADED_BODIES: readonly Readonly<ErrorBody>[] = Array.from({ length: OVERLOADED_ANSWERS }, (_, i) =>
  Object.freeze(
    errorBody(
      refuse('OVERLOADED', {
        retryAfterMs:
          OVERLOADED_RETRY_AFTER_MS.first +
          Math.round((i * OVERLOADED_RETRY_AFTER_MS.spread) / OVERLOADED_ANSWERS),
      }),
    ),
  ),
);

/**
 * Bounds the sends this instance works on at once. Past the bound a send is
 * refused at once, before any Redis or Kafka work: under overload an
 * instance that takes everything times everything out (its event loop late,
 * its Redis commands and Kafka sends past their deadlines, its consumers
 * out of their groups), while one that refuses the excess cheaply keeps
 * answering what it took. The same holds when the CPU, not the sends in
 * flight, is what ran out: while the event loop runs late, a share of new
 * sends is refused too, in proportion to how late it runs.
 */
export class SendAdmission {
  private running = 0;
  /** Shares of sends owed a refusal: spread evenly, a share of 0.25 refuses every fourth send. */
  private owed = 0;
  private answered = 0;

  constructor(
    private readonly max: number,
    /** The share of new sends to refuse now, from 0 to 1 (the instance's event loop late). */
    private readonly shedShare: () => number = () => 0,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  /**
   * The OVERLOADED answer when a new send is refused, else undefined; asked
   * once per send, since each answer counts toward the share shed. Handlers
   * ask first and answer a refusal with it directly: no error object, no
   * timer, no promise, so refusing stays cheap exactly when the CPU has run
   * out.
   */
  refusal(): Readonly<ErrorBody> | undefined {
    if (this.running >= this.max) return this.overloaded();
    const share = this.shedShare();
    if (share <= 0) {
      this.owed = 0;
      return undefined;
    }
    this.owed += share;
    if (this.owed < 1) return undefined;
    this.owed -= 1;
    return this.overloaded();
  }

  /** Runs an admitted send's `work`; throws OVERLOADED (retryable, with retryAfterMs) when `max` sends are under way. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.max)
      throw refuse('OVERLOADED', { retryAfterMs: this.overloaded().retryAfterMs });
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
    }
  }

  private overloaded(): Readonly<ErrorBody> {
    this.answered = (this.answered + 1) % OVERLOADED_ANSWERS;
    return OVERLOADED_BODIES[this.answered]!;
  }
}
