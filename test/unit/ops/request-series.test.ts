// The pre-aggregated HTTP series must expose exactly what prom-client's own Counter/Histogram would.
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestSeries } from '../../../src/ops/request-series.ts';

const BUCKETS = [0.002, 0.005, 0.01, 0.1, 1];
const observations: [string, string, string, number][] = [
  ['GET', '/a', '200', 0.0001],
  ['GET', '/a', '200', 0.002],
  ['GET', '/a', '200', 0.0021],
  ['GET', '/a', '304', 0.05],
  ['POST', '/b', '201', 3],
  ['GET', '/a', '200', 0.7],
];

describe('RequestSeries', () => {
  it('renders the same exposition text as prom-client for the same observations', async () => {
    const ours = new Registry();
    const series = new RequestSeries({ registry: ours, counterName: 'req_total', counterHelp: 'h', histogramName: 'req_seconds', histogramHelp: 'h', buckets: BUCKETS });
    const theirs = new Registry();
    const c = new Counter({ name: 'req_total', help: 'h', labelNames: ['method', 'route', 'status'], registers: [theirs] });
    const hist = new Histogram({ name: 'req_seconds', help: 'h', labelNames: ['method', 'route', 'status'], buckets: BUCKETS, registers: [theirs] });
    for (const [method, route, status, s] of observations) {
      series.observe(`${method}|${route}|${status}`, () => ({ method, route, status }), s);
      c.inc({ method, route, status });
      hist.observe({ method, route, status }, s);
    }
    const lines = (text: string) => text.split('\n').filter(Boolean).sort();
    expect(lines(await ours.metrics())).toEqual(lines(await theirs.metrics()));
  });
});
