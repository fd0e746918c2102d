import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { groupTopics } from '@chat/contracts';
import { uniqueName, waitFor } from '@chat/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { TsChild } from '@chat/testkit/child';
import { messageSent, recordOf } from '@chat/testkit/events';
import { committedOffsets, createTopic, endpoints, produce, readTopic } from './support/kafka.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/child-listener.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

const children: TsChild[] = [];
afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()));
});

/** A listener process under the test's control (the fixture prints one JSON line per telemetry event). */
function child(config: Record<string, unknown>): TsChild {
  const started = new TsChild(FIXTURE, { cwd: PACKAGE_DIR, env: { CHILD_CONFIG: JSON.stringify(config) } });
  children.push(started);
  return started;
}

/** How many telemetry lines of `type` the child has printed. */
function count(listener: TsChild, type: string): number {
  return listener.json<{ type: string }>().filter((line) => line.type === type).length;
}

function effectsIn(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

async function setup(prefix: string, events: number) {
  const topic = await createTopic(prefix);
  const sent = Array.from({ length: events }, () => messageSent('room-crash'));
  const effectsFile = join(tmpdir(), `${uniqueName(prefix)}.effects`);
  writeFileSync(effectsFile, '');
  const config = {
    groupId: uniqueName(`${prefix}-group`),
    topic,
    transactionalId: uniqueName(`${prefix}-tx`),
    brokers: endpoints.kafkaBrokers,
    redisUrl: endpoints.redisUrl,
    effectsFile,
  };
  await produce(
    topic,
    sent.map((event) => recordOf(event)),
  );
  return { topic, sent, effectsFile, config };
}

describe('crashes and shutdown', () => {
  it('at-least-once: a consumer killed before committing re-reads its events, and each effect still happens once', async () => {
    const { topic, sent, effectsFile, config } = await setup('kill-before-commit', 8);
    // Commits only at batch end, so the kill lands after four effects and before any commit.
    const first = child({
      ...config,
      behaviour: 'apply',
      commitIntervalMs: 600_000,
      killOn: 'handled',
      killAfter: 4,
    });
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(effectsIn(effectsFile)).toHaveLength(4);
    expect(await committedOffsets(config.groupId, topic)).toEqual([-1]);

    const second = child({ ...config, behaviour: 'apply' });
    await waitFor(
      'all eight committed after the restart',
      async () => (await committedOffsets(config.groupId, topic))[0] === 8,
      {
        timeoutMs: 40_000,
      },
    );
    expect(count(second, 'idempotentHit')).toBe(4);
    expect(effectsIn(effectsFile)).toEqual(sent.map((event) => event.eventId));
    second.signal('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });

  it('graceful shutdown on SIGTERM finishes the record in flight, commits it and exits cleanly', async () => {
    const { topic, effectsFile, config } = await setup('sigterm', 10);
    const running = child({ ...config, behaviour: 'apply', handlerDelayMs: 300, commitIntervalMs: 600_000 });
    await running.until(
      'a handler in flight after three handled',
      () => count(running, 'handled') >= 3 && count(running, 'started') > count(running, 'handled'),
    );
    running.signal('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });

    const applied = effectsIn(effectsFile).length;
    // The handler that was running when SIGTERM came finished its effect; no new one started.
    expect(applied).toBe(count(running, 'started'));
    expect(applied).toBeGreaterThanOrEqual(4);
    expect(applied).toBeLessThan(10);
    // Everything applied was committed on the way out, nothing more.
    expect(await committedOffsets(config.groupId, topic)).toEqual([applied]);
  });

  it('a crash between the DLQ produce and the source commit does not duplicate the forwarded record', async () => {
    const { topic, sent, config } = await setup('kill-in-forward', 1);
    const dlq = groupTopics.deadLetter(config.groupId);
    const first = child({ ...config, behaviour: 'fatal', killOn: 'forwardProduced', killAfter: 1 });
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    expect(await committedOffsets(config.groupId, topic)).toEqual([-1]);

    // The restart reuses the transactional id: it fences the dead producer and aborts its open transaction.
    const second = child({ ...config, behaviour: 'fatal' });
    await waitFor(
      'the source offset committed by the forward',
      async () => (await committedOffsets(config.groupId, topic))[0] === 1,
      {
        timeoutMs: 40_000,
      },
    );
    const committedCopies = await readTopic(dlq);
    expect(committedCopies).toHaveLength(1);
    expect(JSON.parse(committedCopies[0]!.value!.toString()).eventId).toBe(sent[0]!.eventId);
    // The crashed attempt did produce a copy; it was aborted, so only read-uncommitted readers see it.
    expect(await readTopic(dlq, { readUncommitted: true })).toHaveLength(2);
    expect(count(second, 'forwardProduced')).toBe(1);
  });
});
