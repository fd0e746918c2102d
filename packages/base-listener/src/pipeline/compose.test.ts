import { describe, expect, it } from 'vitest';
import { type Delivery, type Middleware, compose } from './types.js';

describe('compose', () => {
  it('runs middleware in the order given, outermost first, around the handler', async () => {
    const calls: string[] = [];
    const named =
      (name: string): Middleware =>
      (next) =>
      async (delivery) => {
        calls.push(`${name}>`);
        const outcome = await next(delivery);
        calls.push(`<${name}`);
        return outcome;
      };
    const handler = compose([named('a'), named('b')], async () => {
      calls.push('handler');
      return 'success';
    });
    await expect(handler({} as Delivery)).resolves.toBe('success');
    expect(calls).toEqual(['a>', 'b>', 'handler', '<b', '<a']);
  });
});
