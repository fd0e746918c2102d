import { CORRELATION_ID_KEY } from '@chat/runtime';

export {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_BATCH_SIZE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_NAMESPACE,
} from '@opentelemetry/semantic-conventions';

/** The platform's own span attributes; standard names come from the semantic conventions. */
export const ATTR_CORRELATION_ID = CORRELATION_ID_KEY;
export const ATTR_ROOM_ID = 'chat.room_id';
export const ATTR_MESSAGE_ID = 'chat.message_id';
export const ATTR_EVENT_TYPE = 'chat.event.type';
export const ATTR_USER_ID = 'chat.user_id';
/** What became of an event's write: stored, rejected (dead-lettered) or failed (to be read again). */
export const ATTR_WRITE_OUTCOME = 'chat.write.outcome';

// Messaging names are still "development" in the semantic conventions, so they are spelled here, as advised.
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_PARTITION_ID = 'messaging.destination.partition.id';
export const ATTR_MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset';
export const ATTR_MESSAGING_CONSUMER_GROUP = 'messaging.consumer.group.name';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count';
