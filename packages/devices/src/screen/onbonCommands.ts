import iconv from 'iconv-lite';

/**
 * BX-series commands carried in the packet data:
 *   command group | command | response flag (1 = answer me) | body
 * Text goes to a "dynamic area" (realtime text that does not touch the stored
 * programme): group A3, command 06, then: re-initialise flag, reserved,
 * number of areas to delete (0 = none), number of areas sent, and per area its
 * length (2, LE) and data: type, x, y, width, height (2 each, LE; 0x8000 set =
 * pixels, else units of 8 pixels), area id, line spacing, run mode, timeout (2),
 * voice flag, extension count, alignment, single/multi line, line wrap,
 * display mode, exit mode, speed, stay time, text length (4, LE), text.
 * The controller answers with group A0, command 00 (done) or 01 (failed)
 * followed by an error code.
 */
export const GROUP_ACK = 0xa0;
export const GROUP_DYNAMIC = 0xa3;
export const CMD_SEND_DYNAMIC = 0x06;
export const ACK_OK = 0x00;
export const ACK_FAIL = 0x01;

export type ScreenTextEncoding = 'gb2312' | 'gb18030';

export interface DynamicText {
  areaId: number;
  /** Pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** BX display mode: 1 static, 2 quick print, 3 move left, 4 right, 5 up, 6 down. */
  displayMode: number;
  speed: number;
  /** Seconds each page stays. */
  stayTime: number;
  text: string;
}

export class UnencodableTextError extends Error {}

/** Encodes `text` in GB2312/GB18030, refusing characters the screen cannot show. */
export function encodeScreenText(text: string, encoding: ScreenTextEncoding): Buffer {
  const bytes = iconv.encode(text, encoding);
  if (iconv.decode(bytes, encoding) !== text) {
    throw new UnencodableTextError(`text contains characters outside ${encoding.toUpperCase()}`);
  }
  return bytes;
}

const PIXEL_UNITS = 0x8000;

export function encodeSendDynamic(area: DynamicText, encoding: ScreenTextEncoding): Buffer {
  const text = encodeScreenText(area.text, encoding);
  const areaBody = Buffer.alloc(27 + text.length);
  let o = 0;
  areaBody[o++] = 0x00; // area type: text
  for (const value of [area.x, area.y, area.width, area.height]) o = areaBody.writeUInt16LE(PIXEL_UNITS | value, o);
  areaBody[o++] = area.areaId;
  areaBody[o++] = 0x00; // line spacing
  areaBody[o++] = 0x00; // run mode 0: show in a loop until replaced
  o = areaBody.writeUInt16LE(0, o); // timeout (unused in run mode 0)
  areaBody[o++] = 0x00; // no voice
  areaBody[o++] = 0x00; // no extension bytes
  areaBody[o++] = 0x0a; // centred horizontally and vertically
  areaBody[o++] = 0x01; // single line
  areaBody[o++] = 0x01; // no automatic wrap
  areaBody[o++] = area.displayMode;
  areaBody[o++] = 0x00; // exit mode
  areaBody[o++] = area.speed;
  areaBody[o++] = area.stayTime;
  o = areaBody.writeUInt32LE(text.length, o);
  areaBody.set(text, o);
  const head = Buffer.from([GROUP_DYNAMIC, CMD_SEND_DYNAMIC, 0x01, 0x00, 0x00, 0x00, 0x01]);
  const areaLength = Buffer.alloc(2);
  areaLength.writeUInt16LE(areaBody.length, 0);
  return Buffer.concat([head, areaLength, areaBody]);
}

function fromUnits(raw: number): number {
  return raw & PIXEL_UNITS ? raw & 0x7fff : raw * 8;
}

export type DecodedCommand =
  | { kind: 'dynamic-text'; wantsReply: boolean; areas: DynamicText[] }
  | { kind: 'other'; group: number; command: number; wantsReply: boolean }
  | { kind: 'invalid'; reason: string };

/** Simulator side: reads a command; never throws. */
export function decodeCommand(data: Uint8Array, encoding: ScreenTextEncoding): DecodedCommand {
  if (data.length < 5) return { kind: 'invalid', reason: 'command shorter than its header' };
  const buf = Buffer.from(data);
  const group = buf[0] ?? 0;
  const command = buf[1] ?? 0;
  const wantsReply = buf[2] === 0x01;
  if (group !== GROUP_DYNAMIC || command !== CMD_SEND_DYNAMIC) return { kind: 'other', group, command, wantsReply };
  if (buf.length < 7) return { kind: 'invalid', reason: 'dynamic area command without area counts' };
  // 0xFF = delete all areas (no id list follows), otherwise that many ids follow.
  const deleteCount = buf[5] ?? 0;
  let o = 6 + (deleteCount === 0xff ? 0 : deleteCount);
  const areaCount = buf[o++] ?? 0;
  const areas: DynamicText[] = [];
  for (let i = 0; i < areaCount; i++) {
    if (o + 2 > buf.length) return { kind: 'invalid', reason: 'area length missing' };
    const areaLength = buf.readUInt16LE(o);
    o += 2;
    if (areaLength < 27 || o + areaLength > buf.length) return { kind: 'invalid', reason: `area of ${areaLength} bytes does not fit` };
    const a = buf.subarray(o, o + areaLength);
    const textLength = a.readUInt32LE(23);
    if (27 + textLength !== areaLength) return { kind: 'invalid', reason: 'area text length disagrees with area length' };
    areas.push({
      x: fromUnits(a.readUInt16LE(1)),
      y: fromUnits(a.readUInt16LE(3)),
      width: fromUnits(a.readUInt16LE(5)),
      height: fromUnits(a.readUInt16LE(7)),
      areaId: a[9] ?? 0,
      displayMode: a[19] ?? 0,
      speed: a[21] ?? 0,
      stayTime: a[22] ?? 0,
      text: iconv.decode(a.subarray(27, 27 + textLength), encoding),
    });
    o += areaLength;
  }
  return { kind: 'dynamic-text', wantsReply, areas };
}

export function encodeAck(ok: boolean, errorCode = 0): Buffer {
  return Buffer.from([GROUP_ACK, ok ? ACK_OK : ACK_FAIL, 0x00, 0x00, 0x00, errorCode]);
}

export function decodeAck(data: Uint8Array): { ok: boolean; errorCode: number } | undefined {
  if (data[0] !== GROUP_ACK || data.length < 2) return undefined;
  return { ok: data[1] === ACK_OK, errorCode: data[5] ?? 0 };
}
