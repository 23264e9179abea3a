// The hall mesh bench's quick mode, through the same code as `npm run bench -- hall --quick`:
// figures present and the work done, no timing assertions (they belong to the bench's report).
import { describe, expect, it } from 'vitest';
import { parseHallArgs } from '../../bench/hall';
import { runBenchmark } from '../../bench/hall.bench';

describe('hall mesh bench', () => {
  it('shortens the partition and the outage in quick mode', () => {
    expect(parseHallArgs([])).toMatchObject({ quick: false, partitionMs: 60_000, mutations: 1000 });
    expect(parseHallArgs(['--quick'])).toMatchObject({ quick: true, partitionMs: 10_000, mutations: 200 });
  });

  it('measures latency, heal and catch-up with the central API hung, and reports the work it did', async () => {
    const figures = await runBenchmark(['--quick']);
    for (const name of [
      'udp_rtt_loopback_p50_ms',
      'udp_rtt_loopback_p99_ms',
      'kiosk_to_counter_p50_ms',
      'kiosk_to_counter_p99_ms',
      'call_to_display_mesh_p50_ms',
      'call_to_display_mesh_p99_ms',
      'heal_converge_s',
      'outage_catchup_s',
      'floor_one_station_catchup_s',
    ]) {
      expect(Number.isFinite(figures[name]), name).toBe(true);
    }
    expect(figures).toMatchObject({ latency_samples: 50, latency_lost: 0, heal_converged: true, heal_mutations_missing: 0, heal_ticket_views: 1 });
    expect(figures.partition_mutations_side_a).toBeGreaterThan(0);
    expect(figures.partition_mutations_side_b).toBeGreaterThan(0);
    expect(figures).toMatchObject({ outage_stations: 10, outage_mutations: 200, outage_mutations_held_per_station: 200 });
    expect(Number(figures.outage_confirmed_applied) + Number(figures.outage_confirmed_rejected)).toBe(200);
  }, 150_000);
});
