import type { ErrorBody } from '@chat/contracts';
import { errorBody, refuse } from '../socket/errors.js';

/** How long an OVERLOADED client waits before it retries. */
export const OVERLOADED_RETRY_AFTER_MS = 500;

/** Built once: under overload it is most of what an instance answers. */
const OVERLOADED_BODY: Readonly<ErrorBody> = Object.freeze(
  errorBody(refuse('OVERLOADED', { retryAfterMs: OVERLOADED_RETRY_AFTER_MS })),
);

/**
 * Bounds the sends this instance works on at once. Past the bound a send is
 * refused at once, before any Redis or Kafka work: under overload an
 * instance that takes everything times everything out (its event loop late,
 * its Redis commands and Kafka sends past their deadlines, its consumers
 * out of their groups), while one that refuses the excess cheaply keeps
 * answering what it took. The same holds when the CPU, not the sends in
 * flight, is what ran out: while the event loop runs late, new sends are
 * refused too.
 */
export class SendAdmission {
  private running = 0;

  constructor(
    private readonly max: number,
    /** True while the instance is saturated (its event loop late): new sends are refused then too. */
    private readonly saturated: () => boolean = () => false,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  /**
   * The OVERLOADED answer when a new send would be refused now, else
   * undefined. Handlers ask first and answer a refusal with it directly: no
   * error object, no timer, no promise, so refusing stays cheap exactly when
   * the CPU has run out.
   */
  refusal(): Readonly<ErrorBody> | undefined {
    return this.running >= this.max || this.saturated() ? OVERLOADED_BODY : undefined;
  }

  /** Runs `work`, or throws OVERLOADED (retryable, with retryAfterMs) when `max` sends are under way or the instance is saturated. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.refusal()) throw refuse('OVERLOADED', { retryAfterMs: OVERLOADED_RETRY_AFTER_MS });
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
    }
  }
}
