import { richText } from '../text/rich-text.js';

/** A message's text: plain text nodes (never HTML), http(s) links, and mentions highlighted (ours apart); a deleted message says so. */
export function MessageText(props: { text: string; handle: string | undefined; deleted?: boolean }) {
  if (props.deleted) return <p class="text deleted">Message deleted</p>;
  return (
    <p class="text">
      {richText(props.text, props.handle).map((segment, index) => {
        if (segment.kind === 'link')
          return (
            <a key={index} href={segment.href} target="_blank" rel="noopener noreferrer nofollow">
              {segment.text}
            </a>
          );
        if (segment.kind === 'mention')
          return (
            <mark key={index} class={segment.me ? 'mention me' : 'mention'}>
              {segment.text}
            </mark>
          );
        return segment.text;
      })}
    </p>
  );
}
