import Joi from 'joi';

declare const TYPE: unique symbol;

/**
 * One field of a contract: the Joi schema that checks it at run time and, as a
 * phantom type, the TypeScript type it stands for. Building both from the same
 * call is what keeps a payload's type and its validation from drifting apart.
 */
export interface Field<T, Optional extends boolean = false> {
  readonly joi: Joi.Schema;
  readonly optional: Optional;
  /** Never set: carries `T` for `Infer`. */
  readonly [TYPE]?: T;
}

export type AnyField = Field<unknown, boolean>;
export type Shape = Record<string, AnyField>;

export type Infer<F> = F extends Field<infer T, boolean> ? T : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

export type InferShape<S extends Shape> = Simplify<
  { [K in keyof S as S[K] extends Field<unknown, true> ? never : K]: Infer<S[K]> } & {
    [K in keyof S as S[K] extends Field<unknown, true> ? K : never]?: Infer<S[K]>;
  }
>;

const field = <T>(joi: Joi.Schema): Field<T> => ({ joi, optional: false });

/** ISO-8601 date-time with a zone: the form `Date.prototype.toISOString` and most clocks write. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/**
 * Every event carries two timestamps, and Joi's own `isoDate()` costs about
 * 9 µs each — most of an event's validation on the persistence hot path. A
 * pattern plus `Date.parse` checks the same and normalises to UTC, as
 * `isoDate()` does, at about a third of the cost.
 */
const isoDateTime = () =>
  Joi.string()
    .pattern(ISO_DATE_TIME, 'ISO 8601 date-time')
    .custom((value: string, helpers) => {
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) return helpers.error('string.isoDate');
      return value.length === 24 && value.endsWith('Z') ? value : new Date(ms).toISOString();
    });

/** Identifiers (room, user, message ids) are restricted so they are safe as Redis keys and MongoDB values. */
const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** A lone or reversed UTF-16 surrogate: with the `u` flag, a well-formed pair is one code point and never matches. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Text must be well-formed UTF-16: a lone surrogate would reach members as
 * sent but be stored (UTF-8) as U+FFFD, so copies would differ. Refused, as
 * an id with such a character is.
 */
export const wellFormed = (schema: Joi.StringSchema): Joi.StringSchema =>
  schema
    .custom((value: string, helpers) =>
      LONE_SURROGATE.test(value) ? helpers.error('string.wellFormed') : value,
    )
    .messages({ 'string.wellFormed': '{{#label}} must be well-formed UTF-16' });

export const t = {
  string: (schema: Joi.StringSchema = Joi.string()): Field<string> => field(schema),
  /** Text a person wrote (message text, room names): a string that must be well-formed UTF-16. */
  text: (schema: Joi.StringSchema = Joi.string()): Field<string> => field(wellFormed(schema)),
  id: (): Field<string> => field(Joi.string().min(1).max(128).pattern(ID_PATTERN, 'id')),
  uuid: (): Field<string> => field(Joi.string().guid()),
  /** An ISO-8601 timestamp, kept as a string so the envelope survives JSON unchanged. */
  isoDate: (): Field<string> => field(isoDateTime()),
  int: (schema: Joi.NumberSchema = Joi.number()): Field<number> => field(schema.integer()),
  bool: (): Field<boolean> => field(Joi.boolean()),
  literal: <const V extends string>(...values: V[]): Field<V> => field(Joi.string().valid(...values)),
  array: <T>(item: Field<T>, schema: Joi.ArraySchema = Joi.array()): Field<T[]> =>
    // Not `.required()` items: in Joi that means "at least one must match", which would refuse an empty array.
    field(schema.items(item.joi)),
  object: <S extends Shape>(shape: S): Field<InferShape<S>> => field(objectSchema(shape)),
  optional: <T>(inner: Field<T>): Field<T, true> => ({ joi: inner.joi, optional: true }),
};

/** The Joi schema of a shape: every field required unless wrapped in `t.optional`. */
export function objectSchema(shape: Shape): Joi.ObjectSchema {
  const keys: Record<string, Joi.Schema> = {};
  for (const [name, member] of Object.entries(shape)) {
    keys[name] = member.optional ? member.joi.optional() : member.joi.required();
  }
  return Joi.object(keys);
}
