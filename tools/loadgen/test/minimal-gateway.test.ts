import type { AddressInfo } from 'node:net';
import { ensureTopics } from '@chat/base-listener';
import { endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMinimalGateway } from '../src/baselines/minimal-gateway.js';
import { processCpuMicros, redisCounters } from '../src/bench/process-cpu.js';
import { runLoad, type LoadReport } from '../src/index.js';

/** The capacity benchmark's limit must do the gateway's work for real, or the ratio it anchors means nothing. */
describe('the minimal gateway baseline', () => {
  const endpoints = endpointsFromEnv();
  const namespace = uniqueName('lg-minimal');
  const topic = `${namespace}.messages`;
  const redis = new Redis(endpoints.redisUrl);
  const kafka = new Kafka({
    clientId: namespace,
    brokers: endpoints.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  let gateway: Awaited<ReturnType<typeof startMinimalGateway>>;
  let report: LoadReport;
  let redisReads: number;

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: topic, partitions: 3, config: {} }]);
    await admin.disconnect();
    gateway = await startMinimalGateway({ kafka, redis, topic, namespace });
    await new Promise<void>((resolve) => gateway.http.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(gateway.http.address() as AddressInfo).port}`;
    const before = (await redisCounters(redis)).reads;
    report = await runLoad({
      gatewayUrls: [url],
      roomApiUrl: url,
      users: 4,
      rooms: 2,
      membersPerRoom: 2,
      ratePerSecond: 50,
      durationMs: 2_000,
      messageBytes: 200,
      settleTimeoutMs: 30_000,
    });
    redisReads = (await redisCounters(redis)).reads - before;
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    gateway?.http.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }, 60_000);

  it('acks every send once it is in Kafka and delivers it to every member once, in order', () => {
    expect(report.account).toMatchObject({
      sent: 100,
      acked: 100,
      delivered: 100,
      duplicatesShown: 0,
      missingDelivered: 0,
    });
    expect(report.errors).toEqual({});
  });

  it('writes no recent cache, as the gateway does not (the persistence process writes it)', async () => {
    expect(await redis.keys(`${namespace}:recent:*`)).toEqual([]);
  });

  it('is measured by the counters the benchmark reads', () => {
    expect(redisReads).toBeGreaterThanOrEqual(100);
    expect(processCpuMicros(process.pid)).toBeGreaterThan(0);
    expect(processCpuMicros(2 ** 30)).toBeUndefined();
  });
});
