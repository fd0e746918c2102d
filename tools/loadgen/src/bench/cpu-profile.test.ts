import { describe, expect, it } from 'vitest';
import { topSelfTime, type CpuProfile } from './cpu-profile.js';

const frame = (id: number, functionName: string, url: string) => ({
  id,
  callFrame: { functionName, url, lineNumber: 9 },
});

describe('topSelfTime', () => {
  it('adds up sample time per function and ranks it', () => {
    const profile: CpuProfile = {
      nodes: [
        frame(1, '', ''),
        frame(
          2,
          'send',
          'file:///work/main/node_modules/.pnpm/kafkajs@2.2.4/node_modules/kafkajs/src/producer.js',
        ),
        frame(3, 'attempt', 'file:///work/main/services/chat/src/send/send-service.ts'),
      ],
      samples: [2, 3, 2, 1],
      timeDeltas: [3000, 1000, 3000, 3000],
    };
    expect(topSelfTime(profile, 2)).toEqual([
      { frame: 'send (kafkajs/src/producer.js:10)', ms: 6, percent: 60 },
      { frame: '(anonymous) (native:10)', ms: 3, percent: 30 },
    ]);
    expect(topSelfTime(profile)[2]?.frame).toBe('attempt (services/chat/src/send/send-service.ts:10)');
  });
});
