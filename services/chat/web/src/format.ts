const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

/** "14:05" today, "Mon 3 Jun, 14:05" before. */
export function formatSentAt(iso: string, now = new Date()): string {
  const date = new Date(iso);
  return date.toDateString() === now.toDateString()
    ? time.format(date)
    : `${day.format(date)}, ${time.format(date)}`;
}

/** "Bob is typing…", "Bob and Carol are typing…", "3 people are typing…". */
export function typingLine(userIds: readonly string[]): string {
  if (userIds.length === 0) return '';
  if (userIds.length === 1) return `${userIds[0]} is typing…`;
  if (userIds.length === 2) return `${userIds[0]} and ${userIds[1]} are typing…`;
  return `${userIds.length} people are typing…`;
}
