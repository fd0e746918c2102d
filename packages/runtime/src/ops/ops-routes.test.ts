import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { collectProcessMetrics } from './default-metrics.js';
import { opsRoutes, type OpsState } from './ops-routes.js';

describe('ops routes over HTTP', () => {
  let server: Server;
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function serve(healthy: boolean, state: OpsState) {
    const routes = opsRoutes({ db: () => ({ db: { ok: healthy } }) }, state);
    server = createServer((request, response) => {
      void routes(request, response).then((handled) => {
        if (!handled) response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  it('reports ready, alive and metrics when healthy', async () => {
    collectProcessMetrics();
    const base = await serve(true, { draining: false });
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('process_cpu_user_seconds_total');
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });

  it('is unready while a required dependency is down or while draining', async () => {
    const down = await serve(false, { draining: false });
    expect((await fetch(`${down}/readyz`)).status).toBe(503);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const draining = await serve(true, { draining: true });
    const response = await fetch(`${draining}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ draining: true });
  });

  it('fails liveness once a part of the service stopped for good', async () => {
    const base = await serve(true, { draining: false, dead: 'delivery consumer stopped: boom' });
    const response = await fetch(`${base}/livez`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'dead', reason: 'delivery consumer stopped: boom' });
  });
});
