import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drainFrames } from '../transport/frameReader';
import {
  SamCommand,
  decodeBaseInfo,
  decodeSamReply,
  encodeBaseInfo,
  encodeSamCommand,
  encodeSamReply,
  samFrameParser,
} from './frame';

describe('GA 467 frames', () => {
  it('encodes "find card" as the published bytes', () => {
    expect(encodeSamCommand(SamCommand.findCard).toString('hex')).toBe('aaaaaa966900032001' + '22');
    expect(encodeSamCommand(SamCommand.readBase).toString('hex')).toBe('aaaaaa966900033001' + '32');
  });

  it('gives a base-info reply the 0x0508 length of text+photo replies', () => {
    const reply = encodeSamReply({ sw1: 0, sw2: 0, sw3: 0x90, data: encodeBaseInfo(new Uint8Array(256), new Uint8Array(1024)) });
    expect(reply.subarray(5, 14).toString('hex')).toBe('050800009001000400');
  });

  const body = fc.uint8Array({ minLength: 3, maxLength: 1500 });

  it('roundtrips any reply body (property)', () => {
    fc.assert(
      fc.property(body, (data) => {
        const reply = { sw1: data[0] ?? 0, sw2: data[1] ?? 0, sw3: data[2] ?? 0, data: data.slice(3) };
        const { frames, errors, rest } = drainFrames(samFrameParser, encodeSamReply(reply));
        expect(errors).toEqual([]);
        expect(rest.length).toBe(0);
        expect(frames.length).toBe(1);
        expect(decodeSamReply(frames[0] ?? new Uint8Array())).toEqual(reply);
      }),
    );
  });

  it('skips a junk prefix and still finds the frame (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), body, (junk, data) => {
        const frame = encodeSamFrameOf(data);
        const { frames } = drainFrames(samFrameParser, Buffer.concat([junk, frame]));
        expect(frames.at(-1)).toEqual(Uint8Array.from(data));
      }),
    );
  });

  it('never throws on arbitrary bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const result = drainFrames(samFrameParser, bytes);
        expect(result.rest.length).toBeLessThanOrEqual(bytes.length);
      }),
    );
  });

  it('reports a bad checksum and recovers the following frame', () => {
    const bad = encodeSamCommand(SamCommand.findCard);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
    const good = encodeSamCommand(SamCommand.selectCard);
    const { frames, errors } = drainFrames(samFrameParser, Buffer.concat([bad, good]));
    expect(errors.map((e) => e.kind)).toContain('checksum');
    expect(frames).toEqual([Uint8Array.of(0x20, 0x02)]);
  });

  it('rejects base info whose lengths exceed the data', () => {
    const result = decodeBaseInfo(Uint8Array.of(0x01, 0x00, 0x04, 0x00, 1, 2, 3));
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(/announces 256\+1024 bytes but carries 3/);
  });
});

function encodeSamFrameOf(data: Uint8Array): Buffer {
  return encodeSamReply({ sw1: data[0] ?? 0, sw2: data[1] ?? 0, sw3: data[2] ?? 0, data: data.slice(3) });
}
