import type { IncomingMessage, ServerResponse } from 'node:http';
import { register } from 'prom-client';
import { collectHealth, type HealthProbe } from './health.js';

/** Paths the Kubernetes probes and Prometheus use; the manifests refer to these names. */
export const OPS_PATHS = { liveness: '/livez', readiness: '/readyz', metrics: '/metrics' } as const;

export interface OpsState {
  /** Set when shutdown begins: readiness fails at once so the load balancer stops sending traffic. */
  draining: boolean;
  /**
   * Why a part of the service stopped for good (a Kafka consumer KafkaJS will
   * not restart): liveness then fails, so the orchestrator restarts the
   * process instead of leaving it unready forever.
   */
  dead?: string;
}

/**
 * Serves liveness, readiness and metrics. Returns false for any other path so
 * a service can mount it in front of its own HTTP handler.
 */
export function opsRoutes(probes: Record<string, HealthProbe>, state: OpsState) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') return false;
    if (path === OPS_PATHS.liveness) {
      if (state.dead) sendJson(response, 503, { status: 'dead', reason: state.dead });
      else sendJson(response, 200, { status: 'alive' });
      return true;
    }
    if (path === OPS_PATHS.readiness) {
      const report = await collectHealth(probes);
      const ready = !state.draining && report.status !== 'down';
      sendJson(response, ready ? 200 : 503, { ...report, draining: state.draining });
      return true;
    }
    if (path === OPS_PATHS.metrics) {
      response.writeHead(200, { 'content-type': register.contentType });
      response.end(await register.metrics());
      return true;
    }
    return false;
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
