import { type Context, type ContextManager, ROOT_CONTEXT } from '@opentelemetry/api';

/**
 * A context manager that makes a context active for the synchronous part of
 * `with` only: after an `await` the active context is whatever the resumed
 * caller's is, usually the root. It needs no async hooks. On Node 20 the
 * `AsyncLocalStorage` one turns on V8's promise hooks, a cost on every
 * promise of every library in the process (about a fifth of the gateway's
 * CPU); a process using this one passes contexts across awaits itself.
 */
export class SynchronousContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;

  active(): Context {
    return this.current;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.current;
    this.current = context;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as (this: unknown, ...args: unknown[]) => unknown;
    const run = (work: () => unknown) => this.with(context, work);
    return function bound(this: unknown, ...args: unknown[]) {
      return run(() => fn.apply(this, args));
    } as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}
