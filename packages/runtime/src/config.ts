import type Joi from 'joi';

/** Thrown once at start-up when the environment is wrong; lists every problem, not just the first. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates and converts raw settings against a Joi schema with defaults; throws ConfigError on any problem. */
export function parseConfig<T>(schema: Joi.ObjectSchema<T>, raw: Record<string, unknown>): T {
  const { value, error } = schema.validate(raw, { abortEarly: false, convert: true, stripUnknown: true });
  if (error) throw new ConfigError(error.details.map((detail) => detail.message));
  return value;
}
