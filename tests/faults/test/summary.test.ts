import { describe, expect, it } from 'vitest';
import { summaryTable } from '../src/summary.js';

describe('summary table', () => {
  it('prints one aligned Markdown row per scenario with the recovery time in seconds', () => {
    const table = summaryTable([
      {
        scenario: 'Redis killed',
        sent: 480,
        acked: 480,
        queued: 12,
        delivered: 480,
        persisted: 480,
        changesAcked: 144,
        lost: 0,
        duplicates: 0,
        recoveryMs: 9_240,
      },
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(
      /^\| scenario\s+\| sent \| acked \| queued \| delivered \| persisted \| changes \| lost \| duplicates \| recovery \|$/,
    );
    expect(lines[2]).toContain('| Redis killed |  480 |   480 |     12 |');
    expect(lines[2]).toMatch(/\|\s+9\.2 s \|$/);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });
});
