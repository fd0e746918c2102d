/**
 * The durable half of idempotency: remembers which keys were applied, for at
 * least the TTL, and keeps answering while Redis is down. Implementations
 * must make `add` durable before it resolves.
 */
export interface ProcessedStore {
  start(): Promise<void>;
  stop(): Promise<void>;
  has(key: string): Promise<boolean>;
  add(key: string): Promise<void>;
}

/** A claim on a key: complete it when the effect is done, release it when the attempt failed. */
export interface Claim {
  readonly duplicate: false;
  complete(): Promise<void>;
  release(): Promise<void>;
}

export interface Duplicate {
  readonly duplicate: true;
  readonly store: 'redis' | 'durable';
}
