import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { INFRA_DIR, REPO_ROOT } from '../paths.js';

export const ALERTS_FILE = join(INFRA_DIR, 'observability', 'alerts.yaml');
export const PROMETHEUS_RULE_FILE = join(REPO_ROOT, 'k8s', 'base', 'monitoring', 'prometheusrule.yaml');

const HEADER = `# GENERATED from infra/observability/alerts.yaml by \`pnpm --filter @chat/infra generate:prometheus-rule\`.
# Do not edit: change alerts.yaml and run the generator (infra/test/observability.test.ts fails
# while this file differs from what the generator makes).
`;

/**
 * The Prometheus Operator's PrometheusRule carrying the rule groups of
 * alerts.yaml unchanged, so the plain Prometheus and the operator load the
 * same rules from one source.
 */
export function prometheusRuleFrom(alertsYaml: string): string {
  const { groups } = parse(alertsYaml) as { groups: unknown[] };
  const rule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'chat-platform', labels: { 'app.kubernetes.io/part-of': 'chat-platform' } },
    spec: { groups },
  };
  return HEADER + stringify(rule, { lineWidth: 0, singleQuote: true });
}

/** Rewrites the committed PrometheusRule from alerts.yaml. */
export function writePrometheusRule(): string {
  writeFileSync(PROMETHEUS_RULE_FILE, prometheusRuleFrom(readFileSync(ALERTS_FILE, 'utf8')));
  return PROMETHEUS_RULE_FILE;
}
