/**
 * The few IPP/1.1 messages an A4 printer needs (RFC 8010 encoding, RFC 8011 semantics):
 * Print-Job and Get-Printer-Attributes. Written here rather than taken from npm: the
 * `ipp` package has had no release since 2017 and pulls in a request library, while the
 * encoding is a tag-length-value format of a page.
 */

export const IPP_OPERATION = { printJob: 0x0002, getJobAttributes: 0x0009, getPrinterAttributes: 0x000b } as const;

const TAG = {
  operationAttributes: 0x01,
  jobAttributes: 0x02,
  end: 0x03,
  printerAttributes: 0x04,
  unsupportedAttributes: 0x05,
  integer: 0x21,
  boolean: 0x22,
  enum: 0x23,
  text: 0x41,
  name: 0x42,
  keyword: 0x44,
  uri: 0x45,
  charset: 0x47,
  naturalLanguage: 0x48,
  mimeMediaType: 0x49,
  begCollection: 0x34,
  endCollection: 0x37,
} as const;

export type IppValueTag = 'integer' | 'boolean' | 'enum' | 'text' | 'name' | 'keyword' | 'uri' | 'charset' | 'naturalLanguage' | 'mimeMediaType';

export interface IppAttribute {
  name: string;
  tag: IppValueTag;
  values: ReadonlyArray<string | number | boolean>;
}

export interface IppRequest {
  operation: number;
  requestId: number;
  /** After the required attributes-charset and attributes-natural-language, which are added here. */
  operationAttributes: readonly IppAttribute[];
  jobAttributes?: readonly IppAttribute[];
}

export type IppAttributeValue = string | number | boolean;

export interface IppResponse {
  /** 0x0000–0x00ff: successful; 0x04xx: the request was wrong; 0x05xx: the printer could not. */
  statusCode: number;
  requestId: number;
  /** Every group's attributes by name (job and printer groups do not share names). */
  attributes: Map<string, IppAttributeValue[]>;
}

function encodeValue(tag: IppValueTag, value: string | number | boolean): Buffer {
  if (tag === 'integer' || tag === 'enum') {
    const out = Buffer.alloc(4);
    out.writeInt32BE(Number(value));
    return out;
  }
  if (tag === 'boolean') return Buffer.from([value ? 1 : 0]);
  return Buffer.from(String(value), 'utf8');
}

function encodeAttribute(attribute: IppAttribute): Buffer {
  const parts: Buffer[] = [];
  attribute.values.forEach((value, index) => {
    // Additional values of one attribute repeat the tag with an empty name.
    const name = index === 0 ? Buffer.from(attribute.name, 'utf8') : Buffer.alloc(0);
    const body = encodeValue(attribute.tag, value);
    const head = Buffer.alloc(3);
    head.writeUInt8(TAG[attribute.tag], 0);
    head.writeUInt16BE(name.length, 1);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(body.length);
    parts.push(head, name, length, body);
  });
  return Buffer.concat(parts);
}

/** The request's bytes; a document (Print-Job) follows them in the same HTTP body. */
export function encodeIppRequest(request: IppRequest): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(1, 0);
  header.writeUInt8(1, 1);
  header.writeUInt16BE(request.operation, 2);
  header.writeUInt32BE(request.requestId, 4);
  const operation: IppAttribute[] = [
    { name: 'attributes-charset', tag: 'charset', values: ['utf-8'] },
    { name: 'attributes-natural-language', tag: 'naturalLanguage', values: ['zh-cn'] },
    ...request.operationAttributes,
  ];
  const groups = [Buffer.from([TAG.operationAttributes]), ...operation.map(encodeAttribute)];
  if (request.jobAttributes?.length) groups.push(Buffer.from([TAG.jobAttributes]), ...request.jobAttributes.map(encodeAttribute));
  groups.push(Buffer.from([TAG.end]));
  return Buffer.concat([header, ...groups]);
}

export class IppDecodeError extends Error {}

function decodeValue(tag: number, bytes: Buffer): IppAttributeValue {
  if (tag === TAG.integer || tag === TAG.enum) return bytes.length === 4 ? bytes.readInt32BE(0) : 0;
  if (tag === TAG.boolean) return bytes[0] === 1;
  // Strings (0x40–0x4f); everything else (dates, resolutions, ranges) is kept as hex: not needed here.
  if (tag >= 0x40 && tag <= 0x4f) return bytes.toString('utf8');
  return bytes.toString('hex');
}

/** Reads a response; values inside collections are skipped (media-col and the like are not needed). */
export function decodeIppResponse(bytes: Buffer): IppResponse {
  if (bytes.length < 9) throw new IppDecodeError(`IPP response of ${bytes.length} bytes`);
  const statusCode = bytes.readUInt16BE(2);
  const requestId = bytes.readUInt32BE(4);
  const attributes = new Map<string, IppAttributeValue[]>();
  let offset = 8;
  let current: IppAttributeValue[] | undefined;
  let depth = 0;
  const need = (n: number) => {
    if (offset + n > bytes.length) throw new IppDecodeError('IPP response cut short');
  };
  for (;;) {
    need(1);
    const tag = bytes.readUInt8(offset);
    offset += 1;
    if (tag === TAG.end) break;
    if (tag <= 0x0f) {
      current = undefined;
      continue;
    }
    need(2);
    const nameLength = bytes.readUInt16BE(offset);
    offset += 2;
    need(nameLength + 2);
    const name = bytes.toString('utf8', offset, offset + nameLength);
    offset += nameLength;
    const valueLength = bytes.readUInt16BE(offset);
    offset += 2;
    need(valueLength);
    const value = bytes.subarray(offset, offset + valueLength);
    offset += valueLength;
    if (tag === TAG.begCollection) depth += 1;
    else if (tag === TAG.endCollection) depth -= 1;
    else if (depth === 0) {
      if (nameLength > 0) {
        current = [];
        attributes.set(name, current);
      }
      current?.push(decodeValue(tag, value));
    }
  }
  return { statusCode, requestId, attributes };
}

export function ippSucceeded(statusCode: number): boolean {
  return statusCode <= 0x00ff;
}
