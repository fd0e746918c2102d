import { uniqueName } from '@chat/testkit';
import { describe, expect, it } from 'vitest';
import { chatctl } from './support/cli.js';

describe('chatctl errors', () => {
  it('exits 2 on wrong usage, with the reason on stderr', async () => {
    expect(await chatctl('dlq', 'list', 'g', '--since', 'yesterday')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--since "yesterday"'),
    });
    expect(await chatctl('dlq', 'show', 'g', 'not-a-position')).toMatchObject({ code: 2 });
    expect(await chatctl('dlq', 'frobnicate')).toMatchObject({ code: 2 });
    expect(await chatctl('outbox', 'replay')).toMatchObject({ code: 2 });
    expect(await chatctl('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Exit codes') });
  });

  it('exits 3 when a group has nothing to show', async () => {
    const group = uniqueName('absent');
    expect(await chatctl('dlq', 'list', group)).toMatchObject({
      code: 3,
      stderr: expect.stringContaining(`group "${group}" has no DLQ topic`),
    });
    expect(await chatctl('lag', group)).toMatchObject({ code: 3 });
  });

  it('exits 4 when a server is unreachable, and reports it as JSON under --json', async () => {
    const kafka = await chatctl('lag', 'g', '--brokers', '127.0.0.1:1', '--json');
    expect(kafka.code).toBe(4);
    expect(JSON.parse(kafka.stderr)).toMatchObject({ error: { code: 'UNAVAILABLE' } });
    expect(
      await chatctl('backup-queue', 'depth', '--key', 'q', '--redis-url', 'redis://127.0.0.1:1'),
    ).toMatchObject({
      code: 4,
    });
    expect(await chatctl('outbox', 'dead', '--mongo-url', 'mongodb://127.0.0.1:1/x')).toMatchObject({
      code: 4,
    });
  });
});
