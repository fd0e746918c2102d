import type { OutboundRecord } from '../kafka/forwarder.js';
import { type InboundRecord, originOf } from '../kafka/record.js';
import { deadLetterRecord } from './records.js';

/**
 * The DLQ copy of a record for consumers that do not run the listener
 * pipeline (the bulk writer): same headers and context as the listener's own
 * dead letters, so one CLI lists and replays both. The caller forwards it
 * and commits the source offset in one transaction.
 */
export function deadLetterOf(
  record: InboundRecord,
  options: {
    topic: string;
    groupId: string;
    reason: 'fatal' | 'exhausted';
    attempts: number;
    error: unknown;
  },
): OutboundRecord {
  const origin = originOf(record);
  return deadLetterRecord({ record, origin, firstFailureAt: origin.firstFailureAt }, options);
}
