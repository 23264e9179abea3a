import { describe, expect, it } from 'vitest';
import {
  callAnnouncementText,
  formatTicketNumber,
  maxTicketSequence,
  parseTicketNumber,
  virtualTicketNumber,
} from './ticket';

describe('ticket numbers', () => {
  it('pads the sequence to the queue’s digits', () => {
    expect(formatTicketNumber('A', 23, 3)).toBe('A023');
    expect(formatTicketNumber('B', 7, 2)).toBe('B07');
    expect(formatTicketNumber('C', 1234, 4)).toBe('C1234');
  });

  it('refuses a sequence the digits cannot hold', () => {
    expect(maxTicketSequence(3)).toBe(999);
    expect(() => formatTicketNumber('A', 1000, 3)).toThrow(RangeError);
    expect(() => formatTicketNumber('A', 0, 3)).toThrow(RangeError);
  });

  it('parses what it formats', () => {
    expect(parseTicketNumber(formatTicketNumber('D', 42, 3))).toEqual({ prefix: 'D', sequence: 42 });
    expect(parseTicketNumber('a023')).toBeUndefined();
  });

  it('numbers further matters of a multi-matter ticket', () => {
    expect(virtualTicketNumber('A023', 0)).toBe('A023');
    expect(virtualTicketNumber('A023', 1)).toBe('A023-2');
  });
});

describe('call announcements', () => {
  it('speaks Chinese and English', () => {
    expect(callAnnouncementText({ ticketNumber: 'A023', counterNumber: '3' }, 'zh')).toBe('请A023号到3号窗口办理');
    expect(callAnnouncementText({ ticketNumber: 'A023', counterNumber: '3' }, 'en')).toBe(
      'Ticket A023, please go to counter 3',
    );
    expect(callAnnouncementText({ ticketNumber: 'A023', counterNumber: '3', kind: 'recall' }, 'zh')).toBe(
      '请A023号再次到3号窗口办理',
    );
  });
});
