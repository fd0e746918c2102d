import { describe, expect, it } from 'vitest';
import { errorBody } from '../socket/errors.js';
import { OVERLOADED_RETRY_AFTER_MS, SendAdmission } from './admission.js';

describe('send admission', () => {
  it('refuses past the bound at once, retryable after a pause, and admits again when a send ends', async () => {
    const admission = new SendAdmission(2);
    const gate = () => {
      let resolve!: (value: string) => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<string>((done, fail) => ((resolve = done), (reject = fail)));
      return { promise, resolve, reject };
    };
    const gates = [gate(), gate()];
    const first = admission.run(() => gates[0]!.promise);
    const second = admission.run(() => gates[1]!.promise);
    expect(admission.inFlight).toBe(2);
    let ran = false;
    const refused = await admission
      .run(async () => {
        ran = true;
      })
      .catch((error: unknown) => errorBody(error));
    expect(ran).toBe(false);
    expect(refused).toMatchObject({ code: 'OVERLOADED', retryable: true });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThanOrEqual(
      OVERLOADED_RETRY_AFTER_MS.first,
    );
    gates[0]!.resolve('one');
    expect(await first).toBe('one');
    expect(await admission.run(async () => 'three')).toBe('three');
    gates[1]!.reject(new Error('failed'));
    await expect(second).rejects.toThrow('failed');
    expect(admission.inFlight).toBe(0);
  });

  it('refuses the share of new sends it is told to, spread evenly, and none once the share is 0', () => {
    let share = 0.25;
    const admission = new SendAdmission(10, () => share);
    const refused = () => Array.from({ length: 8 }, () => admission.refusal() !== undefined);
    expect(refused()).toEqual([false, false, false, true, false, false, false, true]);
    share = 1;
    expect(refused()).toEqual(Array.from({ length: 8 }, () => true));
    share = 0.5;
    admission.refusal();
    share = 0;
    expect(refused()).toEqual(Array.from({ length: 8 }, () => false));
    share = 0.5;
    expect(refused()).toEqual([false, true, false, true, false, true, false, true]);
  });

  it('says OVERLOADED up front exactly when a send would be refused', async () => {
    let share = 0;
    const admission = new SendAdmission(1, () => share);
    expect(admission.refusal()).toBeUndefined();
    let release!: () => void;
    const running = admission.run(() => new Promise<void>((done) => (release = done)));
    expect(admission.refusal()).toMatchObject({ code: 'OVERLOADED', retryable: true });
    release();
    await running;
    expect(admission.refusal()).toBeUndefined();
    share = 1;
    expect(admission.refusal()).toMatchObject({ code: 'OVERLOADED' });
  });

  it('tells sends refused together to come back at times spread over the retry window, from answers built once', () => {
    const admission = new SendAdmission(10, () => 1);
    const answers = Array.from({ length: 64 }, () => admission.refusal()!);
    const { first, spread } = OVERLOADED_RETRY_AFTER_MS;
    const waits = answers.map((answer) => answer.retryAfterMs!);
    expect(Math.min(...waits)).toBe(first);
    expect(Math.max(...waits)).toBeGreaterThan(first + spread * 0.9);
    expect(Math.max(...waits)).toBeLessThan(first + spread);
    expect(new Set(waits).size).toBe(16);
    expect(new Set(answers).size).toBe(16);
  });
});
