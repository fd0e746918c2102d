import type Joi from 'joi';

/** Most details one refusal carries, and the longest one (the protocol's `ErrorBody.details` bounds). */
export const MAX_DETAILS = 20;
export const MAX_DETAIL_LENGTH = 300;

/**
 * A refusal's `details`, from a Joi error: each names the failing field by its
 * path in the schema and the rule it broke (`rooms.3.after: number.min`),
 * never the value and never a key the client chose: an unknown key is
 * reported at its parent (`payload: object.unknown`). The one place that
 * turns Joi errors into details, so no caller can echo input by accident.
 */
export function validationDetails(error: Joi.ValidationError, root = 'payload'): string[] {
  const details = error.details.map((detail) => {
    const path = detail.type === 'object.unknown' ? detail.path.slice(0, -1) : detail.path;
    return detailLine(path, detail.type, root);
  });
  return [...new Set(details)].slice(0, MAX_DETAILS);
}

/** One detail line: `path: rule`, bounded. */
export function detailLine(path: readonly (string | number)[], rule: string, root = 'payload'): string {
  return `${path.join('.') || root}: ${rule}`.slice(0, MAX_DETAIL_LENGTH);
}

/**
 * Whether a parsed payload has an own `__proto__` key anywhere. `JSON.parse`
 * makes them own keys and Joi drops them silently instead of refusing them
 * as unknown; found here, they are refused like any other unknown key (at
 * the payload, since the path to them may be keys the client chose).
 * Iterative, so a deeply nested payload cannot exhaust the stack.
 */
export function hasOwnProtoKey(payload: unknown): boolean {
  const stack: unknown[] = [payload];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return true;
    stack.push(...Object.values(value));
  }
  return false;
}
