/** One dependency or component as readiness sees it. */
export interface HealthCheck {
  ok: boolean;
  /** Failing this check makes the service unready; optional ones only degrade it. */
  required?: boolean;
  detail?: unknown;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  checks: Record<string, HealthCheck>;
}

export type HealthProbe = () => Promise<Record<string, HealthCheck>> | Record<string, HealthCheck>;

/** Runs every probe; a probe that throws counts as a failed required check named after it. */
export async function collectHealth(probes: Record<string, HealthProbe>): Promise<HealthReport> {
  const checks: Record<string, HealthCheck> = {};
  await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      try {
        Object.assign(checks, await probe());
      } catch (error) {
        checks[name] = { ok: false, required: true, detail: (error as Error).message };
      }
    }),
  );
  const failing = Object.values(checks).filter((check) => !check.ok);
  const status = failing.some((check) => check.required !== false)
    ? 'down'
    : failing.length
      ? 'degraded'
      : 'ok';
  return { status, checks };
}
