import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../../src/cache/single-flight.ts';

describe('single flight', () => {
  it('concurrent calls of one epoch share one run, results and failures alike', async () => {
    const sf = new SingleFlight<number>();
    let runs = 0;
    const start = () => new Promise<number>((r) => setTimeout(() => r(++runs), 10));
    const results = await Promise.all([sf.run('k', 0, start), sf.run('k', 0, start), sf.run('k', 0, start)]);
    expect(results).toEqual([1, 1, 1]);
    expect(sf.joined).toBe(2);
    const fail = () => Promise.reject(new Error('backend down'));
    const both = await Promise.allSettled([sf.run('f', 0, fail), sf.run('f', 0, fail)]);
    expect(both.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(sf.size).toBe(0); // finished flights are forgotten: the next call runs again
    expect(await sf.run('k', 0, start)).toBe(2);
  });

  it('a call of a newer epoch never joins an older flight', async () => {
    const sf = new SingleFlight<string>();
    const old = sf.run('k', 1, () => new Promise((r) => setTimeout(() => r('old'), 20)));
    const fresh = sf.run('k', 2, async () => 'new');
    expect(await fresh).toBe('new');
    expect(await old).toBe('old');
  });
});
