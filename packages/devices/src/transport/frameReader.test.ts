import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drainFrames, findHeader, lineParser } from './frameReader';

describe('drainFrames with the line parser', () => {
  const parser = lineParser();

  it('splits CR, LF and CRLF terminated lines and keeps the unterminated rest', () => {
    const { frames, errors, rest } = drainFrames(parser, Buffer.from('ABC\r\nDEF\rGHI\nJK'));
    expect(frames.map((f) => Buffer.from(f).toString())).toEqual(['ABC', 'DEF', 'GHI']);
    expect(errors).toEqual([]);
    expect(Buffer.from(rest).toString()).toBe('JK');
  });

  it('drops an over-long line with a clear error', () => {
    const { frames, errors } = drainFrames(lineParser([0x0d], 8), Buffer.from('0123456789'));
    expect(frames).toEqual([]);
    expect(errors[0]?.message).toMatch(/longer than 8 bytes/);
  });

  it('never throws and always consumes or keeps every byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const { frames, rest } = drainFrames(parser, bytes);
        const frameBytes = frames.reduce((n, f) => n + f.length, 0);
        expect(frameBytes + rest.length).toBeLessThanOrEqual(bytes.length);
      }),
    );
  });
});

describe('findHeader', () => {
  it('finds a partial header at the very end so the reader keeps it', () => {
    const header = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);
    expect(findHeader(Uint8Array.of(1, 2, 0xaa, 0xaa), header)).toBe(2);
    expect(findHeader(Uint8Array.of(1, 2, 3), header)).toBe(3);
    expect(findHeader(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69), header)).toBe(0);
  });
});
