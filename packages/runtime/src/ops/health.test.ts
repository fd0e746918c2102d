import { describe, expect, it } from 'vitest';
import { collectHealth } from './health.js';

describe('collectHealth', () => {
  it('is ok when every check passes', async () => {
    expect((await collectHealth({ kafka: () => ({ kafka: { ok: true } }) })).status).toBe('ok');
  });

  it('is degraded when only optional checks fail', async () => {
    const report = await collectHealth({
      redis: () => ({ redis: { ok: false, required: false } }),
      kafka: () => ({ kafka: { ok: true } }),
    });
    expect(report.status).toBe('degraded');
  });

  it('is down when a required check fails or a probe throws', async () => {
    const report = await collectHealth({
      kafka: () => ({ kafka: { ok: true } }),
      mongo: () => {
        throw new Error('connection refused');
      },
    });
    expect(report.status).toBe('down');
    expect(report.checks.mongo).toEqual({ ok: false, required: true, detail: 'connection refused' });
  });
});
