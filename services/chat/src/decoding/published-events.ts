import { parseEvent, type AnyEvent } from '@chat/contracts';

/** How many of its newest events an instance remembers: seconds of sends at thousands a second, a few MB. */
export const REMEMBERED_EVENTS = 4_096;

/** Reads a record's bytes as a checked event (`PublishedEvents.decode`, or `parseEvent` itself); throws for one that is not. */
export type EventDecoder = (value: Buffer) => AnyEvent;

/** Where a decoded event came from: remembered at its publish, or parsed from its bytes. */
export type DecodeSource = 'published' | 'parsed';

/**
 * The events this instance published lately, by the exact bytes they were
 * sent as. The gateway consumes what it publishes (its delivery consumer
 * reads the messages topic), and a record whose bytes are those of an event
 * it checked at creation is that event: delivery takes it as it is instead
 * of parsing and validating it again. Any other record, and one published
 * too long ago, is parsed as usual. The events handed out are shared (room
 * windows, every socket's catch-up), so they are frozen.
 */
export class PublishedEvents {
  private readonly byBytes = new Map<string, AnyEvent>();

  constructor(
    private readonly onDecode: (source: DecodeSource) => void = () => undefined,
    private readonly capacity = REMEMBERED_EVENTS,
  ) {}

  /** The publisher's `onSerialized`: `value` is what `event` is sent as. */
  remember(event: AnyEvent, value: Buffer): void {
    this.byBytes.set(keyOf(value), frozen(event));
    if (this.byBytes.size > this.capacity) this.byBytes.delete(this.byBytes.keys().next().value!);
  }

  /** The checked event `value` holds; throws as `parseEvent` does for a record that is not one. */
  decode(value: Buffer): AnyEvent {
    const remembered = this.byBytes.get(keyOf(value));
    this.onDecode(remembered ? 'published' : 'parsed');
    return remembered ?? parseEvent(value);
  }
}

/** Byte for byte (latin1 maps each byte to one character), so equal keys are equal records. */
const keyOf = (value: Buffer): string => value.toString('latin1');

function frozen(event: AnyEvent): AnyEvent {
  for (const field of Object.values(event.payload)) if (Array.isArray(field)) Object.freeze(field);
  Object.freeze(event.payload);
  return Object.freeze(event);
}
