import { HEADERS } from '@chat/contracts';
import { uniqueName, waitFor } from '@chat/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { messageSent } from '@chat/testkit/events';
import { chatctl, chatctlJson } from './support/cli.js';
import {
  type RejectingListener,
  consume,
  createTopic,
  produce,
  rejectingListener,
  startListener,
  withAdmin,
} from './support/kafka.js';

interface LetterJson {
  position: { topic: string; partition: number; offset: string };
  context: {
    originalTopic: string;
    originalOffset: string;
    errorClass: string;
    reason: string;
    attempts: number;
  };
  key: string;
  value: string;
  headers: Record<string, string>;
}

let listener: RejectingListener | undefined;
afterEach(async () => {
  await listener?.stop();
  listener = undefined;
});

const endOffset = (topic: string) =>
  withAdmin(async (admin) => Number((await admin.fetchTopicOffsets(topic))[0]?.high ?? 0));

describe('chatctl dlq', () => {
  it('lists, shows and replays a record a real listener dead-lettered, and a consumer sees it back on its source topic', async () => {
    const topic = await createTopic('chatctl-source');
    const groupId = uniqueName('chatctl-group');
    const event = messageSent('room-ops');
    listener = rejectingListener(topic, groupId);
    await startListener(listener);
    await produce(topic, event);

    const [letter] = await waitFor('the event in the DLQ', async () => {
      const result = await chatctl('dlq', 'list', groupId, '--json');
      const letters = result.code === 0 ? (JSON.parse(result.stdout) as LetterJson[]) : [];
      return letters.length === 1 && letters;
    });
    expect(letter).toMatchObject({
      position: { topic: `${groupId}.dlq`, partition: 0, offset: '0' },
      context: {
        originalTopic: topic,
        originalOffset: '0',
        errorClass: 'Error',
        reason: 'exhausted',
        attempts: 2,
      },
      key: 'room-ops',
      headers: { 'x-origin': 'test' },
    });
    expect(JSON.parse(letter!.value)).toEqual(event);
    await listener.stop();
    listener = undefined;

    const table = await chatctl('dlq', 'list', groupId);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`${topic}/0@0`);
    expect(table.stdout).toContain('downstream rejected the event');
    const shown = await chatctl('dlq', 'show', groupId, '0:0');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/error message:\s+downstream rejected the event/);
    expect(shown.stdout).toContain(`"eventId": "${event.eventId}"`);
    expect(shown.stdout).toMatch(/stack:\nError: downstream rejected the event\n\s+at /);

    const dryRun = await chatctlJson<{ dryRun: boolean; scanned: number; replayed: LetterJson[] }>(
      'dlq',
      'replay',
      groupId,
      '--topic',
      topic,
      '--dry-run',
    );
    expect(dryRun).toMatchObject({ dryRun: true, scanned: 1 });
    expect(dryRun.replayed).toHaveLength(1);
    expect(await endOffset(topic)).toBe(1);

    const replayed = await chatctl('dlq', 'replay', groupId, '--error-class', 'Error', '--since', '1h');
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toContain(`replayed 1 of 1 DLQ record(s) onto ${topic}`);

    const records = await consume(topic, 2);
    expect(records.map((record) => record.offset)).toEqual(['0', '1']);
    expect(JSON.parse(records[1]!.value)).toEqual(event);
    expect(records[1]!.headers).toMatchObject({
      'x-origin': 'test',
      [HEADERS.replayedFrom]: `${groupId}.dlq:0:0`,
    });

    // The group committed past the original (it went to the DLQ); the replayed copy is what it has left to read.
    const lag = await chatctlJson<{ total: number; partitions: { committed: number; logEnd: number }[] }>(
      'lag',
      groupId,
    );
    expect(lag).toMatchObject({ total: 1, partitions: [{ committed: 1, logEnd: 2 }] });
  });

  it('filters out everything that does not match, and refuses an unfiltered replay without --all', async () => {
    const topic = await createTopic('chatctl-filter');
    const groupId = uniqueName('chatctl-group');
    listener = rejectingListener(topic, groupId);
    await startListener(listener);
    await produce(topic, messageSent('room-f'));
    await waitFor(
      'the event in the DLQ',
      async () => (await chatctl('dlq', 'show', groupId, '0:0')).code === 0,
    );

    expect(await chatctlJson('dlq', 'list', groupId, '--error-class', 'ValidationError')).toEqual([]);
    expect(await chatctlJson('dlq', 'list', groupId, '--reason', 'fatal')).toEqual([]);
    expect(await chatctlJson('dlq', 'list', groupId, '--since', '2999-01-01T00:00:00Z')).toEqual([]);
    expect(await chatctlJson('dlq', 'list', groupId, '--at', '0:7')).toEqual([]);

    const unfiltered = await chatctl('dlq', 'replay', groupId);
    expect(unfiltered).toMatchObject({ code: 2, stderr: expect.stringContaining('--all') });
    const missing = await chatctl('dlq', 'show', groupId, '0:9');
    expect(missing).toMatchObject({ code: 3, stderr: expect.stringContaining('no DLQ record at 0:9') });
    expect(await endOffset(topic)).toBe(1);
  });
});
