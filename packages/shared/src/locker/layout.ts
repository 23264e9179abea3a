import { z } from 'zod';
import { COMPARTMENT_SIZES, type CompartmentSize } from '../residence-code/layout';

export const CompartmentSizeSchema = z.enum(COMPARTMENT_SIZES);

/** One compartment of a locker station: where its lock is on the bus and how big it is. */
export const CompartmentSchema = z.object({
  /** What the screen and the SMS call it, e.g. "A03". */
  id: z.string().regex(/^[A-Z]\d{2}$/, 'compartment ids look like A03'),
  board: z.number().int().min(0).max(255),
  lock: z.number().int().min(1).max(48),
  size: CompartmentSizeSchema,
});
export type Compartment = z.infer<typeof CompartmentSchema>;

export const LockerLayoutSchema = z
  .object({
    compartments: z.array(CompartmentSchema).min(1).max(400),
  })
  .superRefine((layout, ctx) => {
    const ids = new Set<string>();
    const locks = new Set<string>();
    for (const [i, c] of layout.compartments.entries()) {
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['compartments', i, 'id'], message: `compartment ${c.id} appears twice` });
      const lock = `${c.board}/${c.lock}`;
      if (locks.has(lock)) ctx.addIssue({ code: 'custom', path: ['compartments', i, 'lock'], message: `board ${c.board} lock ${c.lock} is used twice` });
      ids.add(c.id);
      locks.add(lock);
    }
  });
export type LockerLayout = z.infer<typeof LockerLayoutSchema>;

export type CompartmentUse = 'free' | 'occupied' | 'out_of_service';

/**
 * The compartment for a parcel of `size`: the smallest free size that fits, then the
 * lowest id, so large compartments stay free for large items and choices are stable.
 */
export function pickCompartment(
  compartments: readonly Compartment[],
  size: CompartmentSize,
  useOf: (id: string) => CompartmentUse,
): Compartment | undefined {
  const need = COMPARTMENT_SIZES.indexOf(size);
  const fitting = compartments
    .filter((c) => COMPARTMENT_SIZES.indexOf(c.size) >= need && useOf(c.id) === 'free')
    .sort((a, b) => COMPARTMENT_SIZES.indexOf(a.size) - COMPARTMENT_SIZES.indexOf(b.size) || a.id.localeCompare(b.id));
  return fitting[0];
}
