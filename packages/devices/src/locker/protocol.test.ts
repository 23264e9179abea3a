import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drainFrames } from '../transport/frameReader';
import type { Board8aOptions } from './protocol8a';
import { decodeBitmap, encodeBitmapReply, encodeLockOpen, encodeLockQuery, lockFrameParser } from './protocol8a';
import type { CuChannels } from './protocolKerong';
import {
  cuCommandLength,
  cuParser,
  cuStatusLength,
  decodeCuCommand,
  decodeCuStatus,
  encodeCuQuery,
  encodeCuStatus,
  encodeCuUnlock,
} from './protocolKerong';

const options8a = fc.record<Board8aOptions>({
  polarity: fc.constantFrom('closed-is-set', 'open-is-set'),
  bitmapBytes: fc.integer({ min: 1, max: 8 }),
  bitmapOrder: fc.constantFrom('high-first', 'low-first'),
});

describe('8A/80 frames', () => {
  it('matches the published examples', () => {
    expect(encodeLockOpen(1, 1).toString('hex')).toBe('8a0101119b');
    expect(encodeLockOpen(1, 0).toString('hex')).toBe('8a0100119a');
    expect(encodeLockQuery(1, 1).toString('hex')).toBe('80010133b3');
  });

  it('roundtrips query-all bitmaps for any polarity, size and order (property)', () => {
    fc.assert(
      fc.property(options8a, fc.integer({ min: 0, max: 255 }), fc.array(fc.boolean(), { maxLength: 64 }), (opts, board, doors) => {
        const open = doors.slice(0, opts.bitmapBytes * 8);
        const reply = encodeBitmapReply(board, open, opts);
        const { frames, errors } = drainFrames(lockFrameParser(() => opts.bitmapBytes + 4), reply);
        expect(errors).toEqual([]);
        const frame = frames[0] ?? new Uint8Array();
        expect(decodeBitmap(frame.subarray(2, frame.length - 2), open.length, opts)).toEqual(open);
      }),
    );
  });

  it('puts lock 1 in the LSB of the last byte for high-first boards', () => {
    const reply = encodeBitmapReply(1, [true], { polarity: 'open-is-set', bitmapBytes: 3, bitmapOrder: 'high-first' });
    expect(reply.toString('hex')).toBe('800100000133' + (0x80 ^ 0x01 ^ 0x01 ^ 0x33).toString(16).padStart(2, '0'));
  });

  it('skips junk before a header and never throws (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 255 }), (junk, board, lock) => {
        const cleanJunk = junk.filter((b) => b !== 0x80 && b !== 0x8a);
        const { frames } = drainFrames(lockFrameParser(() => 5), Buffer.concat([cleanJunk, encodeLockQuery(board, lock)]));
        expect(frames.at(-1)).toEqual(Uint8Array.from(encodeLockQuery(board, lock)));
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        drainFrames(lockFrameParser(() => 7), bytes);
      }),
    );
  });
});

describe('Kerong CU frames', () => {
  it('encodes the CU16 and CU48 status query and unlock as STX … ETX sum', () => {
    expect(encodeCuQuery(16, 0).toString('hex')).toBe('0200300335');
    expect(encodeCuUnlock(16, 0, 1).toString('hex')).toBe('0200310336');
    expect(encodeCuUnlock(16, 2, 16).toString('hex')).toBe('022f310365');
    expect(encodeCuQuery(48, 0).toString('hex')).toBe('020000600365');
    expect(encodeCuUnlock(48, 0, 1).toString('hex')).toBe('020000610366');
  });

  const channels = fc.constantFrom<CuChannels>(16, 48);

  it('roundtrips commands and status replies (property)', () => {
    fc.assert(
      fc.property(channels, fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 16 }), fc.array(fc.boolean(), { minLength: 48, maxLength: 48 }), (ch, board, lock, doors) => {
        const unlock = encodeCuUnlock(ch, board, lock);
        const parsed = drainFrames(cuParser(() => cuCommandLength(ch)), unlock).frames[0] ?? new Uint8Array();
        expect(decodeCuCommand(ch, parsed)).toEqual({ board, lock, kind: 'unlock' });
        const open = doors.slice(0, ch);
        const status = drainFrames(cuParser(() => cuStatusLength(ch)), encodeCuStatus(ch, board, open)).frames[0];
        expect(decodeCuStatus(ch, status ?? new Uint8Array())).toEqual({ board, open });
      }),
    );
  });

  it('skips junk before STX (property)', () => {
    fc.assert(
      fc.property(channels, fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 0, max: 15 }), (ch, junk, board) => {
        const status = encodeCuStatus(ch, board, [true, false, true]);
        const clean = junk.filter((b) => b !== 0x02);
        const { frames } = drainFrames(cuParser(() => cuStatusLength(ch)), Buffer.concat([clean, status]));
        expect(frames.at(-1)).toEqual(Uint8Array.from(status));
      }),
    );
  });

  it('reports a bad sum and a missing ETX, and recovers (property: never throws)', () => {
    const bad = encodeCuStatus(16, 1, [true]);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
    const { frames, errors } = drainFrames(cuParser(() => 9), Buffer.concat([bad, encodeCuStatus(16, 1, [false])]));
    expect(errors.map((e) => e.kind)).toContain('checksum');
    expect(frames.length).toBe(1);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => void drainFrames(cuParser(() => 12), bytes)));
  });
});
