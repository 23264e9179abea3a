import { z } from 'zod';

/**
 * One station API method: the params a renderer sends and the result the station answers,
 * both validated at each end of either transport. Which roles may call it follows from the
 * role slice it is declared in (see index.ts), not from a list on the method.
 */
export function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R) {
  return { params, result };
}

/** Params of a method that takes none. */
export const empty = z.object({}).strict();
