import { describe, expect, it } from 'vitest';
import { MutationTypeSchema } from '@hall/shared';
import { counterMessages } from './messages';

describe('counter messages', () => {
  it('name every mutation type a sync rejection can carry, in Chinese and English', () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const types: Record<string, string> = counterMessages[language].conflicts.types;
      const unnamed = MutationTypeSchema.options.filter((type) => !types[type]?.trim());
      expect(unnamed, language).toEqual([]);
    }
  });

  it('explain the rejections of counter decisions and assignments in both languages', () => {
    const zh: Record<string, string> = counterMessages['zh-CN'].conflicts.reasons;
    const en: Record<string, string> = counterMessages.en.conflicts.reasons;
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const code of ['case_decided', 'materials_missing', 'counter_not_assigned', 'duplicate_evaluation']) expect(zh[code], code).toBeTruthy();
  });
});
