import { describe, expect, it } from 'vitest';
import { LockerLayoutSchema, pickCompartment, type Compartment } from './layout';
import { isUnclaimed, nextParcelStatus } from './parcel';

const compartments: Compartment[] = [
  { id: 'A02', board: 1, lock: 2, size: 'small' },
  { id: 'A01', board: 1, lock: 1, size: 'small' },
  { id: 'B01', board: 2, lock: 1, size: 'medium' },
  { id: 'C01', board: 3, lock: 1, size: 'large' },
];

describe('compartment choice', () => {
  it('takes the smallest free fitting size, lowest id first, never a broken or full one', () => {
    expect(pickCompartment(compartments, 'small', () => 'free')?.id).toBe('A01');
    expect(pickCompartment(compartments, 'small', (id) => (id.startsWith('A') ? 'occupied' : 'free'))?.id).toBe('B01');
    expect(pickCompartment(compartments, 'medium', (id) => (id === 'B01' ? 'out_of_service' : 'free'))?.id).toBe('C01');
    expect(pickCompartment(compartments, 'large', (id) => (id === 'C01' ? 'occupied' : 'free'))).toBeUndefined();
  });

  it('refuses a layout using one lock twice', () => {
    const result = LockerLayoutSchema.safeParse({ compartments: [...compartments, { id: 'D01', board: 1, lock: 1, size: 'small' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/board 1 lock 1 is used twice/);
  });
});

describe('parcel life', () => {
  it('allows only the write-ahead order of a pickup', () => {
    expect(nextParcelStatus('deposited', 'pickup_started')).toBe('pickup_opening');
    expect(nextParcelStatus('pickup_opening', 'door_opened')).toBe('pickup_open');
    expect(nextParcelStatus('pickup_open', 'door_closed')).toBe('picked_up');
    expect(nextParcelStatus('picked_up', 'pickup_started')).toBeUndefined();
    expect(nextParcelStatus('pickup_opening', 'pickup_started')).toBeUndefined();
  });

  it('counts six months as unclaimed', () => {
    const day = 24 * 3600 * 1000;
    expect(isUnclaimed(0, 181 * day)).toBe(false);
    expect(isUnclaimed(0, 182 * day)).toBe(true);
  });
});
