// A tiny city through the same code as `npm run bench -- city`: two API instances as child
// processes on one PostgreSQL, every station kind, nothing rejected.
import { describe, expect, inject, it } from 'vitest';
import { parseCityArgs, runBenchmark } from '../../bench/city.bench';

describe('city load test', () => {
  it('parses its bounds and refuses nonsense', () => {
    expect(parseCityArgs([])).toMatchObject({ halls: 100, ticketsPerHall: 2000, concurrency: 4, routing: 'hall' });
    expect(parseCityArgs(['--quick', '--spread'])).toMatchObject({ halls: 10, ticketsPerHall: 200, routing: 'spread', scheduling: 'fair' });
    expect(parseCityArgs(['--fifo'])).toMatchObject({ scheduling: 'fifo' });
    expect(() => parseCityArgs(['--halls', '0'])).toThrow('--halls expects a positive integer');
    expect(() => parseCityArgs(['--tickets', 'many'])).toThrow('--tickets');
  });

  it('runs a small day end to end with no errors and reports its figures', async () => {
    process.env.HALL_TEST_DATABASE_URL = inject('postgresUrl');
    const figures = await runBenchmark(['--halls', '2', '--tickets', '60', '--per-round', '10', '--spread']);
    expect(figures).toMatchObject({ halls: 2, stations: 40, api_instances: 2, tickets_issued: 120, day_completed: 1, errors: 0 });
    // Every ticket issued, every one but the last round called, started and finished, 16 counters opened per hall.
    expect(figures.mutations).toBe(120 + 2 * 16 + 3 * (120 - 2 * 2 * 10));
    expect(figures.p99_ms).toBeGreaterThan(0);
    // Where the CPU went, so the latency can be read against the machine's load.
    expect(figures.cpu_api_pct).toBeGreaterThan(0);
    expect(figures.cores).toBeGreaterThan(0);
  }, 120_000);
});
