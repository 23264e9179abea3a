import { sampleTicket } from './fixtures';
import { ticketSlip } from './layout/ticket';
import { slipToEscPos } from './layout/toEscPos';

export interface RenderTiming {
  iterations: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

/**
 * Time to build the ESC/POS bytes of one queue ticket with its QR code, from the
 * ticket fields (validation and layout included), as a kiosk does per citizen.
 * The number changes each round so nothing can be cached between rounds.
 */
export function measureTicketRender(iterations = 500): RenderTiming {
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError('iterations must be a positive integer');
  for (let i = 0; i < Math.min(50, iterations); i++) slipToEscPos(ticketSlip(sampleTicket)); // warm-up (JIT)
  const samples: number[] = [];
  let sink = 0;
  for (let i = 0; i < iterations; i++) {
    const number = `A${String(i % 1000).padStart(3, '0')}`;
    const start = performance.now();
    const bytes = slipToEscPos(ticketSlip({ ...sampleTicket, number, followUrl: `https://hall.example/q/${number}` }));
    samples.push(performance.now() - start);
    sink += bytes.length;
  }
  if (sink === 0) throw new Error('rendered nothing');
  samples.sort((a, b) => a - b);
  return { iterations, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
}
