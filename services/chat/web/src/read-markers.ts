/**
 * The last position each person marked read per room, kept in the browser
 * (localStorage), so unread counts survive a reload. -1: nothing read yet.
 */
export class ReadMarkers {
  constructor(private readonly userId: string) {}

  get(roomId: string): number {
    return Number(localStorage.getItem(this.key(roomId)) ?? -1);
  }

  set(roomId: string, position: number): void {
    if (position > this.get(roomId)) localStorage.setItem(this.key(roomId), String(position));
  }

  private key(roomId: string): string {
    return `chat:read:${this.userId}:${roomId}`;
  }
}
