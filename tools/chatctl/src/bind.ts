import type { Context } from './context.js';

/** A command's work: the run's context first, then commander's arguments and options. */
export type Action = (context: Context, ...args: never[]) => Promise<void>;

/** Wraps an action into the callback commander calls. */
export type Bind = (action: Action) => (...args: unknown[]) => Promise<void>;
