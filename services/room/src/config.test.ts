import { describe, expect, it } from 'vitest';
import { ConfigError } from '@chat/runtime';
import { roomConfigFromEnv } from './config.js';

const base = { AUTH_JWKS_URL: 'http://identity:3003/.well-known/jwks.json' };

describe('roomConfigFromEnv', () => {
  it('fills the documented defaults', () => {
    const config = roomConfigFromEnv(base);
    expect(config.http).toEqual({ host: '0.0.0.0', port: 3002, bodyLimitBytes: 16_384, corsOrigins: [] });
    expect(config.dispatcher).toMatchObject({
      enabled: true,
      tickMs: 1_000,
      batchSize: 256,
      maxAttempts: 10,
      leaseMs: 15_000,
      topic: 'room.events.v1',
    });
    expect(config.saga).toEqual({ leaseMs: 15_000, recoveryIntervalMs: 2_000, maxAttempts: 3 });
  });

  it('gives every process its own lease identity unless one is configured', () => {
    expect(roomConfigFromEnv(base).dispatcher.owner).not.toBe(roomConfigFromEnv(base).dispatcher.owner);
    expect(roomConfigFromEnv({ ...base, DISPATCHER_ID: 'room-0' }).dispatcher.owner).toBe('room-0');
  });

  it('lists every problem at once, across sections', () => {
    try {
      roomConfigFromEnv({ DISPATCH_TICK_MS: 'soon', PORT: '-1', MONGODB_URL: 'http://nowhere' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['DISPATCH_TICK_MS', 'PORT', 'MONGODB_URL', 'AUTH_JWKS_URL'])
        expect(problems).toContain(name);
    }
  });
});
