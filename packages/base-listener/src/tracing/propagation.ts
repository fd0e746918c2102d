import {
  type Context,
  type TextMapGetter,
  type TextMapSetter,
  context as contextApi,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** The platform's trace context travels as W3C `traceparent`/`tracestate` headers, whatever the process configured globally. */
const propagator = new W3CTraceContextPropagator();

const setter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<Record<string, string>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** Adds the trace context of `context` to outgoing Kafka headers. */
export function injectTraceContext(
  headers: Record<string, string>,
  context: Context = contextApi.active(),
): void {
  propagator.inject(context, headers, setter);
}

/** The context a consumer continues: the producer's span as remote parent, when the headers carry one. */
export function extractTraceContext(
  headers: Record<string, string>,
  context: Context = contextApi.active(),
): Context {
  return propagator.extract(context, headers, getter);
}
