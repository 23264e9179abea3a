import { describe, expect, it } from 'vitest';
import { isSyllable, pinyinCandidates, segmentPinyin } from './pinyin';

describe('pinyin input', () => {
  it('segments continuous letters into syllables', () => {
    expect(segmentPinyin('zhangsan')).toEqual(['zhang', 'san']);
    expect(segmentPinyin('hujizhengming')).toEqual(['hu', 'ji', 'zheng', 'ming']);
    expect(segmentPinyin('xian')).toEqual(['xian']);
    expect(segmentPinyin('zh')).toEqual(['zh']);
    expect(segmentPinyin('ZHANG san')).toEqual(['zhang', 'san']);
  });

  it('offers common characters first for a syllable', () => {
    const { consumed, candidates } = pinyinCandidates('zhangsan');
    expect(consumed).toBe(5);
    expect(candidates[0]).toBe('张');
    expect(pinyinCandidates('shi').candidates.slice(0, 3)).toContain('是');
    expect(pinyinCandidates('lv').candidates).toContain('吕');
  });

  it('offers characters of every syllable a fragment starts', () => {
    const { consumed, candidates } = pinyinCandidates('zh');
    expect(consumed).toBe(2);
    expect(candidates).toEqual(expect.arrayContaining(['张', '中']));
    expect(candidates.length).toBeLessThanOrEqual(40);
  });

  it('gives nothing for letters that start no syllable', () => {
    expect(isSyllable('zhang')).toBe(true);
    expect(isSyllable('vvv')).toBe(false);
    expect(pinyinCandidates('').candidates).toEqual([]);
    expect(pinyinCandidates('iii').candidates).toEqual([]);
  });
});
