/**
 * Mentions (`@handle`) as the gateway counts them and the page highlights
 * them, with no schema library behind it so the page can import it alone.
 * Handles are lower case (docs/protocol.md, "Handles"), so a mention is
 * matched without regard to case; trailing `.`, `_` or `-` end a sentence,
 * not the handle.
 */
const MENTION = /(^|[^a-z0-9._-])@([a-z0-9][a-z0-9._-]*)/giu;

/** Each mention in `text`: where it starts (at its `@`), its length, and the handle named. */
export function mentionsIn(text: string): { index: number; length: number; handle: string }[] {
  const found: { index: number; length: number; handle: string }[] = [];
  for (const match of text.matchAll(MENTION)) {
    const handle = match[2]!.replace(/[._-]+$/u, '');
    found.push({
      index: match.index + match[1]!.length,
      length: handle.length + 1,
      handle: handle.toLowerCase(),
    });
  }
  return found;
}

/** Whether `text` names `handle` (`@handle`). */
export function mentions(text: string, handle: string): boolean {
  const wanted = handle.toLowerCase();
  return mentionsIn(text).some((mention) => mention.handle === wanted);
}
