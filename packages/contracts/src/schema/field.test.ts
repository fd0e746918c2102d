import Joi from 'joi';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type Infer, objectSchema, t } from './field.js';

const Profile = t.object({
  id: t.id(),
  age: t.int(Joi.number().min(0)),
  tags: t.array(t.string()),
  role: t.literal('owner', 'member'),
  nickname: t.optional(t.string()),
});

describe('field DSL', () => {
  it('derives the TypeScript type from the same definition as the Joi schema', () => {
    expectTypeOf<Infer<typeof Profile>>().toEqualTypeOf<{
      id: string;
      age: number;
      tags: string[];
      role: 'owner' | 'member';
      nickname?: string;
    }>();
  });

  it('requires every field not wrapped in optional, and only those', () => {
    const { error } = Profile.joi.validate({}, { abortEarly: false });
    const missing = error?.details.map((detail) => detail.path.join('.'));
    expect(missing).toEqual(['id', 'age', 'tags', 'role']);
  });

  it('enforces the constraints given to each field', () => {
    const valid = { id: 'u-1', age: 3, tags: ['a'], role: 'owner' };
    expect(Profile.joi.validate(valid).error).toBeUndefined();
    expect(Profile.joi.validate({ ...valid, role: 'admin' }).error?.message).toMatch(/role/);
    expect(Profile.joi.validate({ ...valid, id: 'has space' }).error?.message).toMatch(/id/);
    expect(Profile.joi.validate({ ...valid, age: -1 }).error?.message).toMatch(/age/);
    expect(Profile.joi.validate({ ...valid, age: 1.5 }).error?.message).toMatch(/integer/);
  });

  it('builds the same schema for a bare shape', () => {
    const schema = objectSchema({ a: t.string(), b: t.optional(t.bool()) });
    expect(schema.validate({ a: 'x' }).error).toBeUndefined();
    expect(schema.validate({ b: true }).error?.message).toMatch(/"a" is required/);
  });
});

describe('t.isoDate', () => {
  const schema = t.isoDate().joi;

  it('accepts what toISOString writes, unchanged', () => {
    const now = new Date().toISOString();
    expect(schema.validate(now)).toEqual({ value: now });
  });

  it('normalises other zones to UTC, as Joi isoDate does', () => {
    expect(schema.validate('2026-01-01T10:00:00+02:00').value).toBe('2026-01-01T08:00:00.000Z');
    expect(schema.validate('2026-01-01T10:00Z').value).toBe('2026-01-01T10:00:00.000Z');
  });

  it('refuses garbage, dates without a zone or time, and impossible dates', () => {
    for (const bad of ['nope', '2026-01-01', '2026-01-01T10:00:00', '2026-13-45T10:00:00Z', 42]) {
      expect(schema.validate(bad).error, String(bad)).toBeDefined();
    }
  });
});

describe('t.array', () => {
  it('accepts an empty array unless its schema asks for items, and refuses holes', () => {
    const list = t.array(t.id());
    expect(list.joi.validate([]).error).toBeUndefined();
    expect(t.array(t.id(), Joi.array().min(1)).joi.validate([]).error).toBeDefined();
    expect(list.joi.validate(['a', undefined]).error).toBeDefined();
  });
});
