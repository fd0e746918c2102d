import Joi from 'joi';
import { type Infer, t } from '../schema/field.js';
import { ErrorBody, MAX_RESUME_ROOMS } from './protocol.js';

/**
 * `unread`: per room, where the caller's read watermark is (the highest
 * position among the messages they sent a `read` receipt for, as the store
 * holds them) and how many messages from others came after it, counted from
 * the recent cache only (docs/protocol.md, "Unread counts").
 */

/** Counts stop here: a page shows "99+". */
export const UNREAD_COUNT_CAP = 99;

export const UnreadRequest = t.object({
  rooms: t.array(t.id(), Joi.array().min(1).max(MAX_RESUME_ROOMS).unique()),
  /** The caller's handle, for counting mentions (`@handle`) apart; omitted: no mention counts. */
  handle: t.optional(
    t.string(
      Joi.string()
        .min(1)
        .max(64)
        .pattern(/^[a-z0-9][a-z0-9._-]*$/u, 'handle'),
    ),
  ),
});
export type UnreadRequest = Infer<typeof UnreadRequest>;

export const UnreadRoomResult = t.object({
  roomId: t.id(),
  /** Highest position the caller marked read; -1 when none. */
  readPosition: t.optional(t.int(Joi.number().min(-1))),
  /** Messages from others after `readPosition`, at most UNREAD_COUNT_CAP. */
  unread: t.optional(t.int(Joi.number().min(0))),
  /** Of those, the ones that mention the caller's handle. */
  mentions: t.optional(t.int(Joi.number().min(0))),
  /** The true counts may be higher: capped, or the watermark lies before the recent cache. */
  atLeast: t.optional(t.bool()),
  error: t.optional(ErrorBody),
});
export type UnreadRoomResult = Infer<typeof UnreadRoomResult>;
export const UnreadResult = t.object({ rooms: t.array(UnreadRoomResult) });
export type UnreadResult = Infer<typeof UnreadResult>;
export type UnreadAck = UnreadResult | { error: ErrorBody };
