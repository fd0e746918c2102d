import { ROOT_CONTEXT, propagation } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { CORRELATION_ID_KEY, correlationIdOf, withCorrelationId } from './correlation.js';

describe('correlation context', () => {
  it('carries a correlation id as baggage, beside what the baggage already held', () => {
    const withTenant = propagation.setBaggage(
      ROOT_CONTEXT,
      propagation.createBaggage({ tenant: { value: 'acme' } }),
    );
    const correlated = withCorrelationId('corr-1', withTenant);
    expect(correlationIdOf(correlated)).toBe('corr-1');
    expect(propagation.getBaggage(correlated)?.getEntry('tenant')?.value).toBe('acme');
    expect(propagation.getBaggage(correlated)?.getEntry(CORRELATION_ID_KEY)?.value).toBe('corr-1');
  });

  it('knows no correlation id in a context that was given none', () => {
    expect(correlationIdOf(ROOT_CONTEXT)).toBeUndefined();
  });
});
