import { hasOwnProtoKey, validationDetails, type Field } from '@chat/contracts';
import { refuse } from './errors.js';

/**
 * Checks a client payload against its contract. Unknown keys are refused
 * (so `senderId` in a payload is an error, not ignored), an own `__proto__`
 * too (Joi would drop it silently), and the details name the failing paths
 * from the schema without echoing the input back.
 */
export function validatePayload<T>(field: Field<T>, payload: unknown): T {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw refuse('VALIDATION_FAILED', { details: ['payload must be an object'] });
  }
  if (hasOwnProtoKey(payload)) throw refuse('VALIDATION_FAILED', { details: ['payload: object.unknown'] });
  const { value, error } = field.joi.validate(payload, { abortEarly: false, convert: false });
  if (error) {
    const tooLong = error.details.some(
      (detail) => detail.type === 'string.max' && detail.path.join('.') === 'text',
    );
    if (tooLong) throw refuse('PAYLOAD_TOO_LARGE', { details: ['text is longer than allowed'] });
    throw refuse('VALIDATION_FAILED', { details: validationDetails(error) });
  }
  return value as T;
}
