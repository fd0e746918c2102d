import { ROOT_CONTEXT, createContextKey } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { SynchronousContextManager } from '../src/context/synchronous-context-manager.js';

const key = createContextKey('test');
const named = (name: string) => ROOT_CONTEXT.setValue(key, name);
const nameOf = (manager: SynchronousContextManager) => manager.active().getValue(key);

describe('the synchronous context manager', () => {
  it('makes a context active for the synchronous call, nested, and restores the outer one after', () => {
    const manager = new SynchronousContextManager();
    const seen: unknown[] = [];
    manager.with(named('outer'), () => {
      seen.push(nameOf(manager));
      manager.with(named('inner'), () => seen.push(nameOf(manager)));
      seen.push(nameOf(manager));
    });
    seen.push(nameOf(manager));
    expect(seen).toEqual(['outer', 'inner', 'outer', undefined]);
  });

  it('restores the outer context when the call throws', () => {
    const manager = new SynchronousContextManager();
    expect(() =>
      manager.with(named('failing'), () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(manager.active()).toBe(ROOT_CONTEXT);
  });

  it('does not carry a context across an await: the caller passes it on', async () => {
    const manager = new SynchronousContextManager();
    const seen = await manager.with(named('send'), async () => {
      const before = nameOf(manager);
      await Promise.resolve();
      return [before, nameOf(manager)];
    });
    expect(seen).toEqual(['send', undefined]);
  });

  it('binds a function to a context, keeping its this and arguments', () => {
    const manager = new SynchronousContextManager();
    const target = {
      prefix: 'p',
      read(this: { prefix: string }, suffix: string) {
        return `${this.prefix}:${String(nameOf(manager))}:${suffix}`;
      },
    };
    target.read = manager.bind(named('bound'), target.read);
    expect(target.read('s')).toBe('p:bound:s');
    expect(manager.active()).toBe(ROOT_CONTEXT);
  });
});
