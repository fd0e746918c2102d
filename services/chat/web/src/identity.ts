/**
 * With development sign-in a person is known by name only: the user id is
 * the normalised name ("Ada Lovelace" → "ada-lovelace"), so inviting
 * someone by name needs no directory. Ids stay within the contracts' id
 * rule (letters, digits, `.`, `_`, `-`).
 */
export function userIdFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, MAX_USER_ID_LENGTH);
}

const MAX_USER_ID_LENGTH = 64;

/** Names typed into one field, separated by commas or new lines, as user ids without repeats. */
export function userIdsFromNames(names: string): string[] {
  return [...new Set(names.split(/[,\n]/).map(userIdFromName).filter(Boolean))];
}
