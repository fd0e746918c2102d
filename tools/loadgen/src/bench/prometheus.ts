/** Sum of every sample of `metric` whose labels hold every filter (all label sets when none) in a Prometheus text exposition; 0 when absent. */
export function sumOfMetric(exposition: string, metric: string, ...labelFilters: string[]): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(metric)) continue;
    const rest = line.slice(metric.length);
    if (!(rest.startsWith(' ') || rest.startsWith('{'))) continue;
    if (!labelFilters.every((filter) => rest.includes(filter))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Messages per Kafka request the gateway's publisher made, from its /metrics. */
export function averagePublishBatch(exposition: string): number {
  const messages = sumOfMetric(exposition, 'kafka_messages_published_total', 'outcome="ok"');
  const requests = sumOfMetric(exposition, 'kafka_publish_seconds_count');
  return requests === 0 ? 0 : messages / requests;
}
