import type { Connection } from 'mongoose';
import { membershipModel, type MembershipModel, roomModel, type RoomModel } from '@chat/room-store';
import { sagaModel, type SagaModel } from '../saga/saga-model.js';

export interface Models {
  rooms: RoomModel;
  memberships: MembershipModel;
  sagas: SagaModel;
}

export function createModels(connection: Connection): Models {
  return {
    rooms: roomModel(connection),
    memberships: membershipModel(connection),
    sagas: sagaModel(connection),
  };
}

/** Creates missing indexes; never drops one (an operator may have added it). */
export async function ensureIndexes(models: Models): Promise<void> {
  await Promise.all(Object.values(models).map((model: Models[keyof Models]) => model.createIndexes()));
}
