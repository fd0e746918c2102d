import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { InfraError } from '../src/errors.js';
import { bringUp } from '../src/launcher.js';
import { assertPortFree } from '../src/ports.js';
import { kafkaServer } from '../src/servers/kafka.js';

describe('launcher errors a person can act on', () => {
  it('names the port, the server and the override when a port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const failure = assertPortFree(port, 'kafka', 'KAFKA_BROKERS');
      await expect(failure).rejects.toBeInstanceOf(InfraError);
      await expect(failure).rejects.toThrow(
        new RegExp(`port ${port} .* kafka .* already in use.*KAFKA_BROKERS`),
      );
    } finally {
      blocker.close();
    }
  });

  it('reports an external broker that does not answer, without hanging', async () => {
    const started = Date.now();
    const failure = bringUp(kafkaServer(['127.0.0.1:1'], true), () => undefined);
    await expect(failure).rejects.toThrow(
      /kafka at 127\.0\.0\.1:1 \(from KAFKA_BROKERS\) did not answer within 15 s/,
    );
    expect(Date.now() - started).toBeLessThan(40_000);
  });
});
