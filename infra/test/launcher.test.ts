import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@chat/contracts';
import { OPS_PATHS, endpointsFromEnv } from '@chat/runtime';
import { uniqueName } from '@chat/testkit';
import { launchPlatform, type Platform } from '../src/platform/launcher.js';

const alive = (pid: number | undefined) => {
  try {
    return pid !== undefined && process.kill(pid, 0);
  } catch {
    return false;
  }
};
const readyz = async (url: string) => (await fetch(`${url}${OPS_PATHS.readiness}`)).status;
const topicsOf = async (prefix: string) => {
  const admin = new Kafka({
    clientId: 'launcher-test',
    brokers: endpointsFromEnv().kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  } finally {
    await admin.disconnect();
  }
};

describe('the platform launcher', () => {
  const namespace = uniqueName('launch');
  let platform: Platform | undefined;
  afterAll(() => platform?.dispose(), 60_000);

  it('starts chat and room in a namespace, restarts one, brings it back after kill -9, and stops all', async () => {
    platform = await launchPlatform({
      namespace,
      logDir: mkdtempSync(join(tmpdir(), 'launcher-test-')),
      logLevel: 'warn',
      services: { chat: {}, room: {} },
    });
    expect(platform.instances.map((instance) => instance.name)).toEqual(['chat', 'room']);
    expect(await topicsOf(`${namespace}.`)).toContain(platform.topic(TOPICS.messages));
    const chat = platform.get('chat');
    const room = platform.get('room');
    expect(await readyz(chat.url)).toBe(200);
    expect(await readyz(room.url)).toBe(200);

    const roomPid = room.child.pid;
    await room.restart();
    expect(room.child.pid).not.toBe(roomPid);
    expect(alive(roomPid)).toBe(false);
    expect(await readyz(room.url)).toBe(200);

    const killedPid = room.child.pid;
    await room.kill();
    expect(room.child.signalCode).toBe('SIGKILL');
    expect(room.running).toBe(false);
    await room.restart();
    await platform.ready(60);
    expect(await readyz(room.url)).toBe(200);
    expect(room.child.pid).not.toBe(killedPid);

    const pids = platform.instances.map((instance) => instance.child.pid);
    await platform.dispose();
    expect(platform.instances.map((instance) => instance.running)).toEqual([false, false]);
    expect(pids.filter(alive)).toEqual([]);
    expect(await topicsOf(`${namespace}.`)).toEqual([]);
  }, 240_000);
});
