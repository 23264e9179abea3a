import { MESH_MAX_DATAGRAM, MESH_MAX_PLAINTEXT, openFrame, sealFrame, type FrameRefusal } from './crypto';
import { parseMeshMessage, serializeMeshMessage, type MeshMessage, type MessageRefusal } from './messages';
import type { MeshKey, MeshKeyRing } from './types';

export type DecodeRefusal = FrameRefusal | MessageRefusal;
export type DecodeResult = { ok: true; message: MeshMessage } | { ok: false; refusal: DecodeRefusal };

/**
 * Datagram → validated message. Authenticates before parsing anything, so nothing a
 * laptop on the LAN sends is even inflated. Never throws, whatever the bytes.
 */
export function decodeMeshDatagram(ring: MeshKeyRing, datagram: Buffer, hallId: string): DecodeResult {
  const opened = openFrame(ring, datagram);
  if (!opened.ok) return opened;
  return parseMeshMessage(opened.plaintext, hallId);
}

/** Message → datagram, or undefined when it does not fit one datagram (the caller splits). */
export function encodeMeshMessage(key: MeshKey, message: MeshMessage): Buffer | undefined {
  const plaintext = serializeMeshMessage(message);
  if (plaintext.length > MESH_MAX_PLAINTEXT) return undefined;
  const datagram = sealFrame(key, plaintext);
  return datagram.length > MESH_MAX_DATAGRAM ? undefined : datagram;
}

/**
 * Seals items [0, count) into as few datagrams as halving finds: the whole range first,
 * then each half of a range that does not fit. A single item that does not fit alone is
 * reported, not sent. `seal(start, end)` seals items [start, end) as one message.
 * Halving rather than packing by estimate: compressed size is only known after compressing.
 */
export function sealSplitting(count: number, seal: (start: number, end: number) => Buffer | undefined): { datagrams: Buffer[]; unsendable: number[] } {
  const datagrams: Buffer[] = [];
  const unsendable: number[] = [];
  const visit = (start: number, end: number) => {
    const datagram = seal(start, end);
    if (datagram) datagrams.push(datagram);
    else if (end - start <= 1) unsendable.push(start);
    else {
      const middle = start + Math.ceil((end - start) / 2);
      visit(start, middle);
      visit(middle, end);
    }
  };
  visit(0, count);
  return { datagrams, unsendable };
}
