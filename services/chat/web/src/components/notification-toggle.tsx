import type { Attention } from '../notifications/use-attention.js';

/** Desktop notifications, off by default; turning them on is what asks the browser's permission. */
export function NotificationToggle(props: { attention: Attention }) {
  if (typeof Notification === 'undefined') return null;
  const { notifying, notifyProblem, setNotifying } = props.attention;
  return (
    <div class="notification-toggle">
      <label>
        <input
          type="checkbox"
          checked={notifying}
          onChange={(event) => void setNotifying(event.currentTarget.checked)}
        />{' '}
        Desktop notifications
      </label>
      {notifyProblem && (
        <p role="status" class="notice">
          {notifyProblem}
        </p>
      )}
    </div>
  );
}
