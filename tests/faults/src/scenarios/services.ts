import { setTimeout as sleep } from 'node:timers/promises';
import { CLIENT_ERROR_CODES } from '@chat/loadgen';
import type { ServiceName } from '../platform.js';
import type { Scenario } from '../scenario.js';

/** The gateway's clients saw their connection drop: they had to reconnect. */
const clientsCut = {
  description: 'clients disconnected',
  seen: (report: { errors: Record<string, number> }) =>
    (report.errors[CLIENT_ERROR_CODES.DISCONNECTED] ?? 0) > 0,
};

/** How long a killed service stays dead before it is started again, as a supervisor would. */
const DEAD_FOR_MS = 2_000;

const killed = (name: ServiceName): Scenario => ({
  name: `${name} killed with -9 mid-stream`,
  ci: true,
  async inject({ platform }) {
    await platform.kill(name);
    await sleep(DEAD_FOR_MS);
    await platform.restart(name);
  },
});

/** chat-2 is reached directly: its clients reconnect to the same address once it is back. */
export const gatewayKilled = { ...killed('chat-2'), hit: clientsCut };
export const persistenceKilled = killed('persistence');
export const roomKilled = { ...killed('room'), ci: false };

/**
 * chat-1 sits behind the balancer: the balancer moves to chat-2 first (as a
 * load balancer drops a draining pod), then chat-1 shuts down gracefully and
 * its clients reconnect through the balancer to the other instance.
 */
export const gatewayRestart: Scenario = {
  name: 'chat-1 restarted, clients reconnect to chat-2',
  ci: true,
  hit: clientsCut,
  async inject({ platform }) {
    await platform.balanceTo('chat-2');
    await platform.terminate('chat-1');
    await platform.restart('chat-1');
  },
};
