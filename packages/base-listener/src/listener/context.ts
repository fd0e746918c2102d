import type { Logger } from 'pino';

/** What a handler knows about the delivery of its event; nothing here is a Kafka client. */
export interface HandlerContext {
  /** Where the event first arrived (the source topic, even when this attempt came through a retry topic). */
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The record's key (a room id for chat topics). */
  readonly key: string | undefined;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Carries topic, partition, offset, eventId, correlationId and traceId on every line. */
  readonly log: Logger;
  /** Call during long work so the group does not think this consumer died. */
  heartbeat(): Promise<void>;
}
