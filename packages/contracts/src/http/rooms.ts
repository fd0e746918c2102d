/**
 * The room service's HTTP API as its clients see it: what a room looks like
 * on the wire, and every refusal with its status and whether a later retry
 * can succeed. The service and the web page share these; the stored room
 * (`@chat/room-store`) uses the same kinds, statuses and roles.
 */
export const ROOM_KINDS = ['direct', 'group'] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];

/** `creating` rooms exist only inside the creation saga: nobody can see or use them. */
export const ROOM_STATUSES = ['creating', 'active', 'archived'] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];

export const MEMBER_ROLES = ['owner', 'admin', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** What clients see of a room: never the outbox, leases or saga bookkeeping. */
export interface RoomView {
  roomId: string;
  kind: RoomKind;
  name: string;
  status: RoomStatus;
  createdBy: string;
  members: { userId: string; role: MemberRole; joinedAt: string; sendBlocked: boolean }[];
  version: number;
  createdAt: string;
  updatedAt: string;
  archivedAt?: string;
}

export interface RoomSummary {
  roomId: string;
  kind: RoomKind;
  name: string;
  status: RoomStatus;
  memberCount: number;
  role: MemberRole;
  updatedAt: string;
}

/**
 * Every refusal the room service gives, with the HTTP status it maps to and
 * whether repeating the same request later can succeed.
 */
export const ROOM_ERRORS = {
  VALIDATION_FAILED: { status: 400, retryable: false },
  NOT_A_MEMBER: { status: 403, retryable: false },
  FORBIDDEN: { status: 403, retryable: false },
  ROOM_NOT_FOUND: { status: 404, retryable: false },
  MEMBER_NOT_FOUND: { status: 404, retryable: false },
  ROOM_ARCHIVED: { status: 409, retryable: false },
  DIRECT_ROOM_FIXED: { status: 409, retryable: false },
  OWNER_CANNOT_LEAVE: { status: 409, retryable: false },
  ROOM_FULL: { status: 409, retryable: false },
  IDEMPOTENCY_KEY_REUSED: { status: 422, retryable: false },
  ROOM_CREATION_IN_PROGRESS: { status: 409, retryable: true },
  ROOM_CREATION_FAILED: { status: 503, retryable: true },
  CONFLICT: { status: 409, retryable: true },
  OUTBOX_BACKLOG: { status: 503, retryable: true },
  UNAVAILABLE: { status: 503, retryable: true },
} as const;

export type RoomErrorCode = keyof typeof ROOM_ERRORS;
