import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TsChild } from '@chat/testkit/child';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs the fixture in a fresh process (the SDK registers globals once) and returns its JSON lines (the console exporter's dump is not JSON). */
async function fixtureLines(env: Record<string, string>): Promise<Record<string, unknown>[]> {
  const child = new TsChild(join(here, 'fixtures/log-in-span.ts'), {
    cwd: join(here, '..'),
    env,
    inheritEnv: false,
  });
  const { code } = await child.exited;
  if (code !== 0) throw new Error(`the fixture exited with ${code}: ${child.stderr}`);
  return child.json();
}

describe('log lines', () => {
  it('carry the active trace, span and correlation ids while exporting', async () => {
    // The console exporter: recording on, and no collector to reach.
    const jsonLines = await fixtureLines({ OTEL_TRACES_EXPORTER: 'console' });
    const outside = jsonLines.find((line) => line.msg === 'outside')!;
    const inside = jsonLines.find((line) => line.msg === 'inside')!;
    const result = jsonLines.find((line) => 'exporting' in line) as {
      exporting: boolean;
      span: { traceId: string; spanId: string };
    };
    expect(result.exporting).toBe(true);
    expect(outside).not.toHaveProperty('traceId');
    expect(outside).not.toHaveProperty('correlationId');
    expect(inside).toMatchObject({
      service: 'log-fixture',
      traceId: result.span.traceId,
      spanId: result.span.spanId,
      correlationId: 'corr-42',
    });
  });

  it('carry the correlation id, and no empty trace ids, when tracing is off', async () => {
    const lines = await fixtureLines({});
    const inside = lines.find((line) => line.msg === 'inside')!;
    expect(lines.find((line) => 'exporting' in line)).toMatchObject({ exporting: false });
    expect(inside).toMatchObject({ correlationId: 'corr-42' });
    expect(inside).not.toHaveProperty('traceId');
  });
});
