import { writePrometheusRule } from '../src/observability/prometheus-rule.js';

process.stdout.write(`wrote ${writePrometheusRule()}\n`);
