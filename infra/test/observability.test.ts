import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ALERTS_FILE,
  PROMETHEUS_RULE_FILE,
  prometheusRuleFrom,
} from '../src/observability/prometheus-rule.js';
import { INFRA_DIR } from '../src/paths.js';
import { exportedMetrics, scrapedSeries } from './support/exported-metrics.js';
import { metricNamesIn } from './support/promql.js';
import { promtoolTestRules } from './support/promtool.js';

const DIR = join(INFRA_DIR, 'observability');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; runbook_url: string };
}
interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}

const rules: Rule[] = (
  parse(readFileSync(join(DIR, 'alerts.yaml'), 'utf8')) as { groups: { rules: Rule[] }[] }
).groups.flatMap((group) => group.rules.map((rule) => ({ ...rule, expr: rule.expr.trim() })));
const dashboards = readdirSync(join(DIR, 'dashboards'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({
    file,
    ...(JSON.parse(readFileSync(join(DIR, 'dashboards', file), 'utf8')) as {
      title: string;
      panels: Panel[];
    }),
  }));
/** Series Prometheus makes itself for every target. */
const PROMETHEUS_SERIES = ['up'];
const series = new Set([...scrapedSeries(exportedMetrics()), ...PROMETHEUS_SERIES]);
const RULE_TESTS = join(DIR, 'alerts.test.yaml');
interface RuleTests {
  tests: {
    alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
    promql_expr_test?: { expr: string }[];
  }[];
}

/** Names an expression uses that no code exports. */
const unknownIn = (expr: string) => metricNamesIn(expr).filter((name) => !series.has(name));

describe('observability files', () => {
  it('collects the metric names the code registers, from constructors and the kit helpers alike', () => {
    const metrics = exportedMetrics();
    expect(metrics.get('kafka_consumer_lag')).toBe('gauge');
    expect(metrics.get('kafka_message_processing_seconds')).toBe('histogram');
    expect(metrics.get('persistence_buffer_size')).toBe('gauge');
    expect(metrics.get('room_outbox_dead_total')).toBe('counter');
    expect(series.has('kafka_message_processing_seconds_bucket')).toBe(true);
    expect(series.has('kafka_message_processing_seconds')).toBe(false);
  });

  it('reads metric names out of PromQL, and flags one nobody exports', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (group, le) (rate(kafka_message_processing_seconds_bucket{outcome=~"a|b"}[5m]))) > 1 and on () up_total offset 5m',
      ),
    ).toEqual(['kafka_message_processing_seconds_bucket', 'up_total']);
    expect(
      unknownIn('sum(rate(kafka_nonexistent_total[5m])) / sum(rate(kafka_dlq_messages_total[5m]))'),
    ).toEqual(['kafka_nonexistent_total']);
  });

  it('alert rules use only exported metrics and carry a severity, a summary and a runbook of their own', () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(metricNamesIn(rule.expr), rule.alert).not.toEqual([]);
      expect(unknownIn(rule.expr), rule.alert).toEqual([]);
      expect(['warning', 'critical']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
      expect(rule.annotations.runbook_url).toBe(`docs/runbooks/alerts/${rule.alert}.md`);
      expect(readFileSync(join(INFRA_DIR, '..', rule.annotations.runbook_url), 'utf8')).toMatch(
        new RegExp(`^# ${rule.alert}\\b`),
      );
    }
  });

  it('the committed PrometheusRule is the one generated from alerts.yaml', () => {
    const committed = readFileSync(PROMETHEUS_RULE_FILE, 'utf8');
    expect(
      committed === prometheusRuleFrom(readFileSync(ALERTS_FILE, 'utf8')),
      'k8s/base/monitoring/prometheusrule.yaml is stale: run `pnpm --filter @chat/infra generate:prometheus-rule`',
    ).toBe(true);
  });

  it('promtool test rules: every alert has a firing case, the dashboard lag sum is tested verbatim, all pass', async () => {
    const cases = (parse(readFileSync(RULE_TESTS, 'utf8')) as RuleTests).tests;
    const fired = new Set(
      cases.flatMap((entry) =>
        (entry.alert_rule_test ?? [])
          .filter((test) => (test.exp_alerts ?? []).length > 0)
          .map((test) => test.alertname),
      ),
    );
    expect(rules.map((rule) => rule.alert).filter((name) => !fired.has(name))).toEqual([]);
    const tested = new Set(
      cases.flatMap((entry) => (entry.promql_expr_test ?? []).map((test) => test.expr.trim())),
    );
    const lagPanel = dashboards
      .flatMap((dashboard) => dashboard.panels)
      .find((panel) => panel.title === 'Consumer lag per group and topic (records)');
    expect(lagPanel?.targets?.map((target) => target.expr)).toEqual([
      'sum by (group, topic) (max by (group, topic, partition) (kafka_consumer_lag))',
    ]);
    expect(tested.has(lagPanel!.targets![0]!.expr)).toBe(true);
    const result = await promtoolTestRules(RULE_TESTS);
    expect(result.ok, result.output).toBe(true);
  }, 600_000);

  it('alert on what the platform promises to watch, with its thresholds', () => {
    const byName = new Map(rules.map((rule) => [rule.alert, rule]));
    const rule = (name: string) => byName.get(name) ?? expect.fail(`no alert ${name}`);
    expect(rule('KafkaConsumerLagHigh')).toMatchObject({
      for: '5m',
      expr: expect.stringMatching(/kafka_consumer_lag\) > 1000$/),
    });
    expect(rule('KafkaDeadLetterRateHigh').expr).toContain('kafka_dlq_messages_total');
    expect(rule('KafkaProcessingSlow').expr).toMatch(/histogram_quantile\(0\.95,[\s\S]*\) > 1$/);
    expect(rule('KafkaProcessingErrorRateHigh').expr).toMatch(/> 0\.01$/);
    expect(rule('PipelineDeliveringNothing')).toMatchObject({ for: '3m' });
    expect(rule('RoomOutboxDeadEvents').expr).toContain('room_outbox_dead_total');
    expect(rule('KafkaCircuitBreakerOpen').expr).toMatch(/kafka_circuit_breaker_state\) == 2$/);
    // Nothing else fires when a service is gone entirely: its metrics vanish with it.
    for (const job of ['chat', 'room', 'persistence', 'identity'])
      expect(rule('ServiceDown').expr).toContain(`absent(up{job="${job}"})`);
  });

  it('dashboard panels query only exported metrics, and cover every stage the SRE watches', () => {
    expect(dashboards.length).toBeGreaterThan(0);
    const used = new Set<string>();
    for (const dashboard of dashboards) {
      for (const panel of dashboard.panels.filter((candidate) => candidate.type !== 'row')) {
        expect(panel.targets?.length, `${dashboard.file}: ${panel.title}`).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) {
          expect(unknownIn(target.expr), `${dashboard.file}: ${panel.title}`).toEqual([]);
          for (const name of metricNamesIn(target.expr)) used.add(name.replace(/_(bucket|sum|count)$/, ''));
        }
      }
    }
    for (const name of [
      'kafka_messages_processed_total',
      'kafka_consumer_lag',
      'kafka_message_processing_seconds',
      'kafka_dlq_messages_total',
      'kafka_idempotent_hits_total',
      'persistence_buffer_size',
      'chat_socket_connections',
    ]) {
      expect(used, name).toContain(name);
    }
  });
});
