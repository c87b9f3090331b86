// Per-request HTTP metrics without prom-client's per-call label hashing: the cache-hit path serves
// tens of thousands of requests a second, and prom-client hashes the label object on every
// inc/observe. Series are kept in a Map keyed by one string and exported at scrape time through
// the registry's metric interface (name, help, type, get()), in the same exposition format.
import type { Registry } from 'prom-client';

interface Series {
  labels: Record<string, string>;
  count: number;
  sum: number;
  /** Non-cumulative counts per bucket (index = bucket, last = +Inf overflow). */
  buckets: number[];
}

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

export class RequestSeries {
  private readonly series = new Map<string, Series>();
  private readonly bounds: readonly number[];

  constructor(opts: { registry: Registry; counterName: string; counterHelp: string; histogramName: string; histogramHelp: string; buckets: readonly number[] }) {
    this.bounds = opts.buckets;
    const all = () => [...this.series.values()];
    opts.registry.registerMetric({
      name: opts.counterName,
      help: opts.counterHelp,
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({
        name: opts.counterName,
        help: opts.counterHelp,
        type: 'counter',
        aggregator: 'sum',
        values: all().map((s): MetricValue => ({ value: s.count, labels: s.labels })),
      }),
    } as never);
    opts.registry.registerMetric({
      name: opts.histogramName,
      help: opts.histogramHelp,
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({
        name: opts.histogramName,
        help: opts.histogramHelp,
        type: 'histogram',
        aggregator: 'sum',
        values: all().flatMap((s) => this.histogramValues(opts.histogramName, s)),
      }),
    } as never);
  }

  /** One request; `key` must identify the label values (e.g. `GET|/api/v1/klanten|200`). */
  observe(key: string, labels: () => Record<string, string>, seconds: number): void {
    let s = this.series.get(key);
    if (s === undefined) {
      s = { labels: labels(), count: 0, sum: 0, buckets: new Array<number>(this.bounds.length + 1).fill(0) };
      this.series.set(key, s);
    }
    s.count++;
    s.sum += seconds;
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]!) i++;
    s.buckets[i]!++;
  }

  private histogramValues(name: string, s: Series): MetricValue[] {
    const out: MetricValue[] = [];
    let acc = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      acc += s.buckets[i]!;
      out.push({ value: acc, labels: { le: this.bounds[i]!, ...s.labels }, metricName: `${name}_bucket` });
    }
    out.push({ value: s.count, labels: { le: '+Inf', ...s.labels }, metricName: `${name}_bucket` });
    out.push({ value: s.sum, labels: s.labels, metricName: `${name}_sum` });
    out.push({ value: s.count, labels: s.labels, metricName: `${name}_count` });
    return out;
  }
}
