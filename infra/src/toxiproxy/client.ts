/**
 * A small client for Toxiproxy's HTTP API (proxies and toxics), enough for
 * fault tests: put a proxy between a service and a server, then slow it,
 * drop its data, or cut it.
 */
export interface Toxic {
  /** Unique per proxy; removing a toxic names it. */
  name: string;
  type: 'latency' | 'bandwidth' | 'slow_close' | 'timeout' | 'reset_peer' | 'slicer' | 'limit_data';
  /** downstream: server → client; upstream: client → server. */
  stream: 'upstream' | 'downstream';
  /** Share of connections affected, 0 to 1. */
  toxicity?: number;
  /** As the toxic type defines them, e.g. latency `{ latency, jitter }` in ms, timeout `{ timeout }`. */
  attributes: Record<string, number>;
}

export class ToxiproxyError extends Error {
  constructor(
    readonly code: 'TOXIPROXY_REQUEST_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'ToxiproxyError';
  }
}

export class ToxiproxyClient {
  constructor(readonly apiUrl: string) {}

  private async call(method: string, path: string, body?: unknown): Promise<void> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new ToxiproxyError(
        'TOXIPROXY_REQUEST_FAILED',
        `Toxiproxy ${method} ${path} answered ${response.status}: ${await response.text()}`,
      );
  }

  /** A TCP proxy listening on `listen` (host:port) that forwards to `upstream`. */
  createProxy(name: string, listen: string, upstream: string): Promise<void> {
    return this.call('POST', '/proxies', { name, listen, upstream, enabled: true });
  }

  /** Disabled: new connections are refused and open ones closed; enabled again: it forwards. */
  setEnabled(proxy: string, enabled: boolean): Promise<void> {
    return this.call('POST', `/proxies/${proxy}`, { enabled });
  }

  /** Forwards to another server from now on; open connections are closed, so clients reconnect there. */
  setUpstream(proxy: string, upstream: string): Promise<void> {
    return this.call('POST', `/proxies/${proxy}`, { upstream });
  }

  addToxic(proxy: string, toxic: Toxic): Promise<void> {
    return this.call('POST', `/proxies/${proxy}/toxics`, { toxicity: 1, ...toxic });
  }

  removeToxic(proxy: string, name: string): Promise<void> {
    return this.call('DELETE', `/proxies/${proxy}/toxics/${name}`);
  }

  /** Enables every proxy and removes every toxic. */
  reset(): Promise<void> {
    return this.call('POST', '/reset');
  }
}
