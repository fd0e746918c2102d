import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@chat/testkit';
import { createGateway } from '../src/gateway.js';
import { Harness, emitAck, logger, waitFor } from './support.js';

describe('readiness', () => {
  const h = new Harness();
  const alice = uniqueName('alice');

  beforeAll(async () => {
    await h.setUp();
  });
  afterAll(() => h.tearDown());

  it('/readyz stays not-ready until the delivery consumer has read its warm-up window, then turns ready', async () => {
    const { port: portA } = await h.gateway();
    const roomId = h.room([alice]);
    const a = await h.connected(portA, alice);
    for (let i = 0; i < 400; i += 50) {
      const acks = await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          emitAck(a, 'send', { roomId, clientMessageId: `w-${i + j}`, text: `warm ${i + j}` }),
        ),
      );
      for (const ack of acks) expect(ack).toMatchObject({ status: 'accepted' });
    }

    // A new instance whose warm-up window holds those 400 messages, probed while it starts.
    const config = h.config();
    const gateway = createGateway(config, { logger, membership: h.membership() });
    h.gateways.push(gateway);
    const port = await gateway.listen(0, '127.0.0.1');
    const started = gateway.start();
    const seen: number[] = [];
    const ready = await waitFor(
      'the new instance ready',
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`);
        seen.push(response.status);
        if (response.status !== 200) return false;
        // At the moment it turns ready, the window is read.
        return { body: (await response.json()) as unknown, lag: gateway.deliveryLag() };
      },
      { timeoutMs: 30_000, intervalMs: 20 },
    );
    await started;
    expect(seen[0]).toBe(503);
    expect(ready.lag).toBe(0);
    expect(gateway.deliveryWarmedUp()).toBe(true);
    expect(JSON.stringify(ready.body)).toContain('"warmedUp":true');
  });
});
