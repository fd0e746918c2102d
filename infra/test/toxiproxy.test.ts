import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@chat/testkit';
import { freePort, startPrivateKafka, type PrivateServer } from '../src/private-servers.js';
import { startToxiproxy, type PrivateToxiproxy } from '../src/toxiproxy/index.js';

describe('Toxiproxy between a client and a private Kafka', () => {
  let proxy: PrivateToxiproxy;
  let kafka: PrivateServer;
  const proxyName = 'kafka';

  beforeAll(async () => {
    proxy = await startToxiproxy();
    const [kafkaPort, proxyPort] = [await freePort(), await freePort()];
    await proxy.client.createProxy(proxyName, `127.0.0.1:${proxyPort}`, `127.0.0.1:${kafkaPort}`);
    kafka = await startPrivateKafka({ port: kafkaPort, advertisedPort: proxyPort });
  });
  afterAll(async () => {
    await kafka?.dispose();
    await proxy?.stop();
  });

  it('advertises the proxy, so cutting the proxy cuts a connected producer off the running broker', async () => {
    const client = new Kafka({
      clientId: uniqueName('toxiproxy-test'),
      brokers: kafka.url.split(','),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      requestTimeout: 2000,
      retry: { retries: 1, initialRetryTime: 100 },
    });
    const admin = client.admin();
    await admin.connect();
    const { brokers } = await admin.describeCluster();
    expect(brokers.map(({ host, port }) => `${host}:${port}`)).toEqual(kafka.url.split(','));
    const topic = uniqueName('proxied');
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic }] });
    await admin.disconnect();

    const producer = client.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: 'through the proxy' }] });
    await proxy.client.setEnabled(proxyName, false);
    await expect(producer.send({ topic, acks: -1, messages: [{ value: 'cut off' }] })).rejects.toThrow();
    await proxy.client.setEnabled(proxyName, true);
    await proxy.client.addToxic(proxyName, {
      name: 'slow',
      type: 'latency',
      stream: 'downstream',
      attributes: { latency: 100, jitter: 20 },
    });
    await producer.send({ topic, acks: -1, messages: [{ value: 'slowly through the proxy' }] });
    await proxy.client.removeToxic(proxyName, 'slow');
    await producer.disconnect();
  });
});
