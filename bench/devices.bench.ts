import { measureIdCardReadOverhead } from '@hall/devices/testing';
import { measureTicketRender } from '@hall/devices';

/**
 * Entry for `npm run bench -- devices`: the time our ID-card driver adds beyond the
 * simulator's reply over a real pty, and the time to build one ticket's ESC/POS bytes
 * with its QR code. Targets: under 20 ms and under 10 ms.
 */
export async function runBenchmark(args: string[]): Promise<Record<string, number>> {
  const quick = args.includes('--quick');
  const idcard = await measureIdCardReadOverhead(quick ? 20 : 200);
  const render = measureTicketRender(quick ? 200 : 2000);
  return {
    idcard_read_overhead_ms: round(idcard.overheadMs),
    idcard_read_mean_ms: round(idcard.meanReadMs),
    idcard_reads: idcard.iterations,
    ticket_render_ms: round(render.p99Ms),
    ticket_render_p50_ms: round(render.p50Ms),
    ticket_renders: render.iterations,
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
