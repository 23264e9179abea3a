import { z } from 'zod';
import { IdSchema, LocalDateSchema } from '@hall/shared';

export const HallParams = z.object({ hallId: IdSchema });
export const IdParams = z.object({ id: IdSchema });
export const DateQuery = z.object({ date: LocalDateSchema });
