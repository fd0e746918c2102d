import { useEffect, useState } from 'preact/hooks';
import type { ChatClient, ChatState } from './chat-client.js';

/** The client's state, re-rendered on every change. */
export function useChatState(client: ChatClient): ChatState {
  const [state, setState] = useState(client.state);
  useEffect(() => client.subscribe(() => setState(client.state)), [client]);
  return state;
}
