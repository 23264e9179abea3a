import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drainFrames } from '../transport/frameReader';
import { decodeCommand, encodeScreenText, encodeSendDynamic } from './onbonCommands';
import type { OnbonPacket } from './onbonFrame';
import { encodeOnbonFrame, onbonCrc16, onbonEscape, onbonFrameParser, onbonUnescape } from './onbonFrame';

const packet = fc.record<OnbonPacket>({
  dst: fc.integer({ min: 0, max: 0xffff }),
  src: fc.integer({ min: 0, max: 0xffff }),
  deviceType: fc.integer({ min: 0, max: 255 }),
  protocolVersion: fc.integer({ min: 0, max: 255 }),
  data: fc.uint8Array({ maxLength: 300 }),
});

describe('Onbon framing', () => {
  it('computes CRC-16/ARC (check value of "123456789" is 0xBB3D)', () => {
    expect(onbonCrc16(Buffer.from('123456789'))).toBe(0xbb3d);
  });

  it('reproduces a published BX ping frame byte for byte', () => {
    const ping = encodeOnbonFrame({ dst: 1, src: 0x8000, deviceType: 0xfe, protocolVersion: 2, data: Buffer.from([0xa2, 0x00, 0x01, 0x00, 0x00]) });
    expect(ping.toString('hex')).toBe('a5a5a5a5a5a5a5a5' + '0100008000000000' + '0000fe020500a200010000' + '68f8' + '5a');
  });

  it('escapes so that A5 and 5A never appear inside a packet (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const escaped = onbonEscape(bytes);
        expect(escaped.includes(0xa5)).toBe(false);
        expect(escaped.includes(0x5a)).toBe(false);
        expect(onbonUnescape(escaped)).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it('roundtrips packets, also after a junk prefix (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 30 }), packet, (junk, p) => {
        const { frames } = drainFrames(onbonFrameParser, Buffer.concat([junk.filter((b) => b !== 0xa5), encodeOnbonFrame(p)]));
        const got = frames.at(-1);
        expect(got && { ...got, data: Buffer.from(got.data) }).toEqual({ ...p, data: Buffer.from(p.data) });
      }),
    );
  });

  it('never throws on arbitrary bytes (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => void drainFrames(onbonFrameParser, bytes)));
  });

  it('reports a CRC error and a frame cut off by the next one, then decodes the next', () => {
    const p: OnbonPacket = { dst: 3, src: 0x8000, deviceType: 0xfe, protocolVersion: 2, data: Buffer.from([1, 2, 3]) };
    const bad = encodeOnbonFrame(p);
    bad[bad.length - 3] = (bad[bad.length - 3] ?? 0) ^ 0x01;
    const cut = encodeOnbonFrame(p).subarray(0, 15);
    const { frames, errors } = drainFrames(onbonFrameParser, Buffer.concat([bad, cut, encodeOnbonFrame(p)]));
    expect(errors.map((e) => e.kind)).toEqual(['checksum', 'truncated']);
    expect(frames).toHaveLength(1);
  });
});

describe('dynamic text command', () => {
  it('roundtrips GB2312 text and area geometry', () => {
    const area = { areaId: 1, x: 0, y: 0, width: 128, height: 32, displayMode: 2, speed: 3, stayTime: 4, text: '请A023号到3号窗口' };
    expect(decodeCommand(encodeSendDynamic(area, 'gb2312'), 'gb2312')).toEqual({ kind: 'dynamic-text', wantsReply: true, areas: [area] });
  });

  it('refuses characters the screen cannot encode instead of showing "?"', () => {
    expect(() => encodeScreenText('😀', 'gb2312')).toThrow(/outside GB2312/);
    expect(() => encodeScreenText('𠀀', 'gb2312')).toThrow(/outside GB2312/);
    expect(encodeScreenText('𠀀', 'gb18030').length).toBe(4);
  });

  it('never throws on arbitrary command bytes (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => void decodeCommand(Uint8Array.from([0xa3, 0x06, ...bytes]), 'gb2312')));
  });
});
