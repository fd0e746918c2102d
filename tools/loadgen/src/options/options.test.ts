import { ConfigError } from '@chat/runtime';
import { describe, expect, it } from 'vitest';
import { LOAD_DEFAULTS, resolveLoadOptions, type LoadOptions } from './options.js';

const valid: LoadOptions = {
  gatewayUrls: ['http://127.0.0.1:8080'],
  roomApiUrl: 'http://127.0.0.1:3002',
  users: 10,
  rooms: 5,
  membersPerRoom: 3,
  ratePerSecond: 50,
  durationMs: 3_000,
  messageBytes: 100,
};

describe('resolveLoadOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveLoadOptions(valid)).toMatchObject({ ...valid, ...LOAD_DEFAULTS });
  });

  it('lists every problem at once', () => {
    try {
      resolveLoadOptions({ ...valid, gatewayUrls: [], membersPerRoom: 11, messageBytes: 5_000 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });
});
