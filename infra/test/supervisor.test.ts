import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAT_ENV } from '@chat/service-env';
import { uniqueName, waitFor } from '@chat/testkit';
import { io as connect, type Socket } from 'socket.io-client';
import { REPO_ROOT } from '../src/paths.js';
import { launchPlatform, type Platform, type ServiceHandle } from '../src/platform/launcher.js';
import { startService, supervise } from '../src/platform/supervisor.js';

const FAST = { initialDelayMs: 200, maxDelayMs: 1_000, maxCrashes: 3, windowMs: 60_000 };

/**
 * `bin/start`'s supervision with real children: the real chat gateway, killed
 * with SIGKILL, comes back listening and its clients reconnect and resume; a
 * service that keeps crashing is given up loudly; a stop restarts nothing.
 */
describe('the platform supervisor', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'supervisor-test-'));
  let platform: Platform | undefined;
  let gateway: ServiceHandle;
  const reported: string[] = [];

  beforeAll(async () => {
    platform = await launchPlatform({
      namespace: uniqueName('supervisor'),
      logDir,
      logLevel: 'warn',
      services: { chat: { env: { [CHAT_ENV.warmUpMs.name]: '1000' } } },
    });
    gateway = platform.get('chat');
  }, 150_000);

  afterAll(async () => {
    await platform?.dispose();
    rmSync(logDir, { recursive: true, force: true });
  }, 60_000);

  it('restarts the gateway after kill -9; it listens again and its clients reconnect and resume', async () => {
    platform!.supervise((line) => reported.push(line), FAST);
    const base = gateway.url;
    const signIn = await fetch(`${base}/v1/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'supervised-user', name: 'Supervised' }),
    });
    const { token } = (await signIn.json()) as { token: string };
    const client: Socket = connect(base, {
      auth: { token },
      transports: ['websocket'],
      reconnectionDelay: 200,
      reconnectionDelayMax: 1_000,
    });
    let connects = 0;
    client.on('connect', () => (connects += 1));
    try {
      await waitFor('the client is connected', () => connects === 1);
      const first = gateway.child;
      first.kill('SIGKILL');
      await waitFor('a restart is reported', () => reported.some((line) => line.includes('restarting in')), {
        timeoutMs: 10_000,
      });
      expect(reported[0]).toMatch(/^\[chat\] exited unexpectedly \(SIGKILL\); restarting in 200 ms/);
      await waitFor('ready again', () => reported.some((line) => line.includes('ready again')), {
        timeoutMs: 120_000,
        intervalMs: 250,
      });
      expect(gateway.child).not.toBe(first);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      await waitFor('the client reconnected', () => connects >= 2, { timeoutMs: 30_000 });
      const resumed = await client
        .timeout(10_000)
        .emitWithAck('resume', { rooms: [{ roomId: 'no-such-room' }] });
      expect(resumed).toEqual({
        rooms: [{ roomId: 'no-such-room', error: expect.objectContaining({ code: 'NOT_A_MEMBER' }) }],
      });
    } finally {
      client.disconnect();
    }
  }, 180_000);

  it('stops without restarting anything', async () => {
    const before = reported.length;
    const child = gateway.child;
    await platform!.stop();
    expect(child.exitCode !== null || child.signalCode !== null).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, FAST.initialDelayMs * 3));
    expect(reported.slice(before)).toEqual([]);
    expect(gateway.child).toBe(child);
  }, 30_000);

  it('gives up loudly on a service that keeps crashing', async () => {
    const lines: string[] = [];
    const crashing = startService(
      {
        name: 'crasher',
        dir: join(REPO_ROOT, 'infra', 'test', 'fixtures', 'crashing-service'),
        port: 1,
        env: {},
      },
      logDir,
    );
    const watching = supervise([crashing], logDir, (line) => lines.push(line), FAST);
    try {
      await waitFor('given up', () => lines.some((line) => line.includes('GAVE UP')), { timeoutMs: 60_000 });
      expect(lines.filter((line) => line.includes('restarting in'))).toHaveLength(FAST.maxCrashes - 1);
      expect(lines.at(-1)).toMatch(/^\[crasher\] GAVE UP: crashed 3 times within 60 s \(last: 3\)/);
    } finally {
      await watching.stop(1_000);
    }
  }, 90_000);
});
