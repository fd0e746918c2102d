import { describe, expect, it } from 'vitest';
import { ownerOf, selfTimeByOwner, topSelfTime, type CpuProfile } from './cpu-profile.js';

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

describe('selfTimeByOwner', () => {
  it('names packages, workspace folders and Node, and shares out the busy time only', () => {
    expect(
      ownerOf({
        functionName: 'x',
        url: 'file:///r/node_modules/.pnpm/@opentelemetry+api@1.9.0/node_modules/@opentelemetry/api/build/a.js',
      }),
    ).toBe('@opentelemetry/api');
    expect(ownerOf({ functionName: 'x', url: 'file:///r/node_modules/joi/lib/a.js' })).toBe('joi');
    expect(ownerOf({ functionName: 'x', url: 'file:///r/services/chat/src/a.ts' })).toBe('services/chat');
    expect(ownerOf({ functionName: 'emit', url: 'node:events' })).toBe('node');
    expect(ownerOf({ functionName: 'writev', url: '' })).toBe('native');
    const profile: CpuProfile = {
      nodes: [
        frame(1, '(idle)', ''),
        { ...frame(2, 'send', 'file:///r/node_modules/kafkajs/src/producer.js'), children: [4] },
        frame(3, 'attempt', 'file:///r/services/chat/src/send/send-service.ts'),
        frame(4, 'writev', ''),
      ],
      samples: [1, 2, 3, 2, 4],
      timeDeltas: [6000, 2000, 1000, 1000, 4000],
    };
    // The native write under KafkaJS's send is charged to KafkaJS.
    expect(selfTimeByOwner(profile)).toEqual([
      { frame: 'kafkajs', ms: 7, percent: 87.5 },
      { frame: 'services/chat', ms: 1, percent: 12.5 },
    ]);
  });
});
