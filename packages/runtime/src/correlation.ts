import { type Context, context as contextApi, propagation } from '@opentelemetry/api';

/** The one name of a request's correlation id: the baggage entry that carries it and the span attribute that shows it. */
export const CORRELATION_ID_KEY = 'chat.correlation_id';

/** `context` carrying `correlationId`, so log lines and spans made inside it can name it. */
export function withCorrelationId(correlationId: string, context: Context = contextApi.active()): Context {
  const baggage = propagation.getBaggage(context) ?? propagation.createBaggage();
  return propagation.setBaggage(context, baggage.setEntry(CORRELATION_ID_KEY, { value: correlationId }));
}

/** The correlation id the context carries, if any. */
export function correlationIdOf(context: Context = contextApi.active()): string | undefined {
  return propagation.getBaggage(context)?.getEntry(CORRELATION_ID_KEY)?.value;
}
