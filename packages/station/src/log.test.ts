import { describe, expect, it } from 'vitest';
import { makeTestIdNumber } from '@hall/shared';
import { createStationLogger } from './log';

function capture() {
  const lines: string[] = [];
  const logger = createStationLogger({ write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

describe('station log', () => {
  it('redacts ID numbers, names and phones in a logged object, at the top and nested, as the central API does', () => {
    const { logger, lines } = capture();
    const idNumber = makeTestIdNumber({ birthDate: '1960-03-04' });
    logger.warn(
      {
        idNumber,
        displayName: '张三丰',
        phone: '13957246813',
        card: { idNumber, name: '张三丰', maskedName: '张*丰', phone: '13957246813' },
        form: { serviceId: 's1', values: { name: '张三丰', workplace: 'WORKPLACE-SENTINEL' } },
        ticket: { holder: { idHash: 'HASH-SENTINEL', address: '广州市天河区某路1号' } },
        deviceId: 'kiosk-1',
      },
      'citizen identified',
    );
    const [line] = lines;
    expect(line).toBeDefined();
    for (const secret of [idNumber, '张三丰', '张*丰', '13957246813', 'HASH-SENTINEL', '广州市天河区某路1号', 'WORKPLACE-SENTINEL']) expect(line).not.toContain(secret);
    const logged = JSON.parse(line ?? '') as Record<string, unknown>;
    expect(logged).toMatchObject({ msg: 'citizen identified', deviceId: 'kiosk-1', idNumber: '[redacted]', displayName: '[redacted]', phone: '[redacted]' });
    expect(logged.card).toEqual({ idNumber: '[redacted]', name: '[redacted]', maskedName: '[redacted]', phone: '[redacted]' });
    expect(logged.form).toEqual({ serviceId: 's1', values: '[redacted]' });
  });
});
