import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The per-user index of the embedded members ("which rooms am I in"), kept
 * idempotently from the room's events. `seq` is the room event that last set
 * the entry: an older event never overwrites a newer one, and a `left`
 * entry is a tombstone that stops a late, older "added" from bringing a
 * removed member back.
 */
export interface MembershipDoc {
  _id: string;
  roomId: string;
  userId: string;
  status: 'active' | 'left';
  seq: number;
  updatedAt: Date;
}

const membershipSchema = new Schema<MembershipDoc>(
  {
    _id: { type: String, required: true },
    roomId: { type: String, required: true },
    userId: { type: String, required: true },
    status: { type: String, enum: ['active', 'left'], required: true },
    seq: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'memberships' },
);
// "List my rooms", paged by room id.
membershipSchema.index({ userId: 1, status: 1, roomId: 1 });
// Compensation removes a room's entries.
membershipSchema.index({ roomId: 1 });

export type MembershipModel = Model<MembershipDoc>;

export function membershipModel(connection: Connection): MembershipModel {
  return (
    (connection.models.Membership as MembershipModel | undefined) ??
    connection.model<MembershipDoc>('Membership', membershipSchema)
  );
}

export const membershipId = (roomId: string, userId: string): string => `${roomId}:${userId}`;
