import type { AnyEvent, EventType } from '@chat/contracts';
import { uniqueName } from '@chat/testkit';
import { Registry } from 'prom-client';
import { type HandlerContext, Listener, type ListenerOptions } from '../../src/index.js';
import { endpoints, testLogger } from './kafka.js';

export type TestHandler = (event: AnyEvent, context: HandlerContext) => Promise<void>;

/** A listener whose handler is a function, so each test states its behaviour inline. */
export class FunctionListener extends Listener {
  constructor(
    options: ListenerOptions<EventType>,
    private readonly fn: TestHandler,
  ) {
    super(options);
  }

  protected override handle(event: AnyEvent, context: HandlerContext): Promise<void> {
    return this.fn(event, context);
  }
}

/** Options every test listener shares: real local servers, quiet logs, a private registry, fast group moves. */
export function testOptions(
  overrides: Partial<ListenerOptions<EventType>> & Pick<ListenerOptions, 'topics'>,
): ListenerOptions {
  return {
    groupId: uniqueName('group'),
    brokers: endpoints.kafkaBrokers,
    logger: testLogger,
    registry: new Registry(),
    lagIntervalMs: 0,
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 1_000,
    transactionalId: uniqueName('tx'),
    ...overrides,
    idempotency: { redis: endpoints.redisUrl, ...overrides.idempotency },
  };
}

/** Starts listeners and stops every one of them after the test, whatever happened. */
export function listenerPool() {
  const started: Listener[] = [];
  return {
    async start<L extends Listener>(listener: L): Promise<L> {
      started.push(listener);
      await listener.start();
      return listener;
    },
    async stopAll(): Promise<void> {
      await Promise.allSettled(started.splice(0).map((listener) => listener.stop()));
    },
  };
}
