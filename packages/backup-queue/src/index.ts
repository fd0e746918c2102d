/**
 * The Redis backup queue's layout and protocol, shared by the gateway's
 * retrier and the ops CLI's drain: the default key, the drain lock, and one
 * batch of publish-then-trim.
 */
export {
  DEFAULT_BACKUP_KEY,
  drainBatch,
  drainLock,
  type DrainLock,
  type DrainedBatch,
} from './backup-list.js';
