import type { TicketSlip } from './layout/ticket';

/** A typical ticket for tests, the bench and the CLI's defaults (no personal data). */
export const sampleTicket: TicketSlip = {
  hallName: '天河区政务服务中心',
  number: 'A023',
  services: ['户籍证明'],
  ahead: 5,
  estimatedWaitMinutes: 15,
  issuedAt: '2026-11-22T01:05:00Z',
  followUrl: 'https://hall.example/q/A023?d=2026-11-22',
};
