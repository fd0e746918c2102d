/**
 * Account changes other services relay to pages: the identity service
 * publishes them on this Redis pub/sub channel, each gateway emits them to
 * its sockets as `user-renamed`. Pub/sub may lose one; pages also refresh
 * the names they hold on a short timer.
 */
export const USER_NOTICES_CHANNEL = 'identity:user-notices.v1';

export interface UserRenamedNotice {
  type: 'user.renamed';
  userId: string;
  handle: string;
  displayName: string;
}

/** The notice from a channel message, or undefined when it is not one. */
export function parseUserNotice(raw: string): UserRenamedNotice | undefined {
  try {
    const value = JSON.parse(raw) as Partial<UserRenamedNotice>;
    if (
      value.type === 'user.renamed' &&
      typeof value.userId === 'string' &&
      typeof value.handle === 'string' &&
      typeof value.displayName === 'string'
    )
      return { type: value.type, userId: value.userId, handle: value.handle, displayName: value.displayName };
  } catch {
    return undefined;
  }
  return undefined;
}
