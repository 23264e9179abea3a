import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DisplaySettingsSchema } from '@hall/shared';
import { DeviceConnectionSchema } from '../../config/schema';
import { LanConfigSchema } from '../../lan/config';

/**
 * What a display station needs beyond the common station config: the wall's settings,
 * hall notices, voice, the LAN call feed and the call screens it drives. Kept in its own
 * file (`display.json` beside the station config) so the common schema stays role-neutral.
 */
export const DisplayConfigSchema = z
  .object({
    settings: DisplaySettingsSchema.partial().default({}),
    notices: z.array(z.string().min(1).max(200)).max(20).default([]),
    voice: z
      .object({
        enabled: z.boolean().default(true),
        /** `["zh"]` or `["zh", "en"]`: Mandarin always first. */
        languages: z.array(z.enum(['zh', 'en'])).min(1).default(['zh']),
        repeat: z.number().int().min(1).max(5).default(1),
        chime: z.boolean().default(true),
        /** Only calls at most this old are announced; older ones (catch-up after an outage) are shown only. */
        freshSeconds: z.number().int().min(5).max(600).default(60),
        /** Hall-recorded clips (`<dir>/zh/请.wav` …) that replace generated ones. */
        recordedDir: z.string().min(1).optional(),
      })
      .strict()
      .default({ enabled: true, languages: ['zh'], repeat: 1, chime: true, freshSeconds: 60 }),
    lan: LanConfigSchema.optional(),
    /**
     * Counter signs and strip screens on the display PC's RS485 bus (Onbon BX). Counter
     * signs show their counter's called number, 为您服务 or 暂停服务; strip screens show the
     * latest call.
     */
    screens: z
      .object({
        connection: DeviceConnectionSchema,
        counterSigns: z.record(z.string(), z.number().int().min(1).max(0xfffe)).default({}),
        strips: z.array(z.number().int().min(1).max(0xfffe)).default([]),
      })
      .strict()
      .optional(),
  })
  .strict();
export type DisplayConfig = z.infer<typeof DisplayConfigSchema>;

export const DEFAULT_DISPLAY_SETTINGS = {
  orientation: 'auto',
  names: 'masked',
  englishLine: true,
  volume: 1,
  historySize: 8,
} as const;

export function parseDisplayConfig(raw: unknown, file = '(display config)'): DisplayConfig {
  const parsed = DisplayConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid display config ${file}:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

export function loadDisplayConfig(file: string): DisplayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read display config ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return parseDisplayConfig(JSON.parse(text), file);
  } catch (error) {
    if (error instanceof SyntaxError) throw new Error(`display config ${file} is not valid JSON: ${error.message}`);
    throw error;
  }
}
