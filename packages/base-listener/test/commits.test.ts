import { waitFor } from '@chat/testkit';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { messageSent, recordOf } from '@chat/testkit/events';
import { committedOffsets, createTopic, produce } from './support/kafka.js';
import { FunctionListener, listenerPool, testOptions } from './support/listeners.js';

const pool = listenerPool();
afterEach(() => pool.stopAll());

describe('offset commits', () => {
  it('commits a trickle of small batches about once an interval, and the last one by the timer', async () => {
    const topic = await createTopic('commits', 1);
    const options = testOptions({ topics: [topic], commitIntervalMs: 1_000 });
    let handled = 0;
    const listener = await pool.start(
      new FunctionListener(options, async () => {
        handled += 1;
      }),
    );
    let commits = 0;
    listener.events.on('committed', () => (commits += 1));
    const count = 30;
    // One record at a time, each handled before the next is sent: a batch of one each.
    for (let sent = 1; sent <= count; sent++) {
      await produce(topic, [recordOf(messageSent('room-1'))]);
      await waitFor(`record ${sent} handled`, () => handled === sent);
      await sleep(20);
    }
    // Nothing more arrives: the timer commits what the last batches finished.
    await waitFor(
      'every offset committed',
      async () => (await committedOffsets(options.groupId, topic))[0] === count,
      {
        timeoutMs: 10_000,
      },
    );
    // Committed after every batch, this was one commit per record.
    expect(commits).toBeLessThan(count / 3);
  });
});
