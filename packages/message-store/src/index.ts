/**
 * The stored chat message and receipt, owned once: the persistence worker
 * writes them, the gateway and tools read them. Schema, indexes, collection
 * names, and the mappings between the event, the document and what a client
 * sees all live here.
 */
export {
  MESSAGES_COLLECTION,
  RECEIPTS_COLLECTION,
  CHANGES_COLLECTION,
  chatModels,
  nativeCollection,
  type ChatModels,
  type StoredMessage,
  type StoredReceipt,
  type StoredChange,
  type StoredParkedChange,
} from './models.js';
export {
  chatMessageOfEvent,
  chatMessageOfStored,
  storedMessageOfEvent,
  messageUpdateOfEvent,
  messageUpdateOfStored,
  type StoredMessageView,
} from './mapping.js';
