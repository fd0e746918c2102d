import { mentionsIn } from '@chat/contracts/mentions';

/** A piece of a message as the page shows it: always plain text, never HTML. */
export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'mention'; text: string; me: boolean };

const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/giu;
/** Sentence punctuation after a link is not part of it ("see https://x.org/a."). */
const TRAILING = /[.,;:!?)\]}'"]+$/u;

/** Only http and https become links; anything the URL parser refuses stays text. */
function safeHref(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function mentionSegments(text: string, handle: string | undefined): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const mention of mentionsIn(text)) {
    if (mention.index > at) segments.push({ kind: 'text', text: text.slice(at, mention.index) });
    const shown = text.slice(mention.index, mention.index + mention.length);
    segments.push({ kind: 'mention', text: shown, me: mention.handle === handle?.toLowerCase() });
    at = mention.index + mention.length;
  }
  if (at < text.length) segments.push({ kind: 'text', text: text.slice(at) });
  return segments;
}

/** A message's text split into plain text, http(s) links and `@handle` mentions (`me`: ours). */
export function richText(text: string, handle: string | undefined): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const raw = match[0].replace(TRAILING, '');
    const href = safeHref(raw);
    if (!href) continue;
    segments.push(...mentionSegments(text.slice(at, match.index), handle));
    segments.push({ kind: 'link', text: raw, href });
    at = match.index + raw.length;
  }
  segments.push(...mentionSegments(text.slice(at), handle));
  return segments;
}
