import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, startPlatform, type LoadReport, type Platform } from '../src/index.js';

describe('a short load against gateway, room service and persistence worker', () => {
  let platform: Platform;
  let report: LoadReport;

  beforeAll(async () => {
    platform = await startPlatform({ logDir: mkdtempSync(join(tmpdir(), 'loadgen-test-')) });
    report = await runLoad({
      gatewayUrls: platform.gatewayUrls,
      roomApiUrl: platform.roomApiUrl,
      mongoUrl: platform.mongoUrl,
      users: 12,
      rooms: 6,
      membersPerRoom: 3,
      ratePerSecond: 50,
      durationMs: 3_000,
      messageBytes: 200,
      settleTimeoutMs: 60_000,
    });
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  it('acks, delivers to every member and stores every message exactly once', () => {
    expect(report.account).toEqual({
      sent: 150,
      acked: 150,
      queued: 0,
      delivered: 150,
      persisted: 150,
      duplicatesShown: 0,
      duplicatesStored: 0,
      missingDelivered: 0,
      missingPersisted: 0,
    });
    // A machine busy with other suites can make the gateway shed a few sends: they are retried and
    // counted above, and shedding is the one refusal a client may see.
    expect(Object.keys(report.errors).filter((code) => code !== 'OVERLOADED')).toEqual([]);
  });

  it('measures every message on each latency', () => {
    expect(report.latency.ack.count).toBe(150);
    expect(report.latency.delivered.count).toBe(150);
    expect(report.latency.persisted.count).toBe(150);
  });
});
