/**
 * Handles are what people sign in and invite with. Stored normalised (NFKC,
 * then lower case) so "Ada", "ADA" and the full-width "Ａｄａ" are one
 * account; what remains must be 3 to 32 of `a-z 0-9 . _ -`, starting with a
 * letter or digit. A small alphabet keeps look-alike handles out.
 */
export const HANDLE_PATTERN = /^[a-z0-9][a-z0-9._-]{2,31}$/;
export const HANDLE_RULE =
  '3 to 32 characters: letters a-z, digits, ".", "_" or "-", starting with a letter or digit';

export function normaliseHandle(input: string): string {
  return input.normalize('NFKC').toLowerCase().trim();
}

/** The normalised handle, or undefined when it breaks the rule. */
export function validHandle(input: string): string | undefined {
  const handle = normaliseHandle(input);
  return HANDLE_PATTERN.test(handle) ? handle : undefined;
}

/**
 * A handle for a person arriving by single sign-on, from what the provider
 * calls them: their characters outside the alphabet become "-", short ones
 * are padded. Uniqueness is the caller's (it appends a number on a clash).
 */
export function handleFromName(name: string | undefined): string {
  const base = normaliseHandle(name ?? '')
    .replace(/@.*$/, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 28);
  return base.length >= 3 ? base : `user-${base}`.replace(/-$/, '') || 'user';
}

export const DISPLAY_NAME_MAX = 100;

/** Trimmed, NFC, without control characters; undefined when empty or too long. */
export function validDisplayName(input: string): string | undefined {
  const name = input
    .normalize('NFC')
    .replace(/\p{Cc}/gu, '')
    .trim();
  return name.length >= 1 && name.length <= DISPLAY_NAME_MAX ? name : undefined;
}
