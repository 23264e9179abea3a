/**
 * HID POS barcode scanners (usage page 0x8C) send the code in input reports
 * instead of keystrokes. The common 64-byte "scanned data" report:
 *   [0]     report ID (0x02)
 *   [1]     number of data bytes in this report
 *   [2..4]  AIM symbology identifier, e.g. "]Q1" (zero when not sent)
 *   [5..60] data (56 bytes)
 *   [63]    bit 0 set: more reports follow for the same code
 * Long codes span several reports; `HidPosAssembler` joins them.
 */
export const HID_POS_USAGE_PAGE = 0x8c;

export interface HidPosLayout {
  reportId: number;
  lengthOffset: number;
  symbologyOffset: number;
  dataOffset: number;
  dataCapacity: number;
  continuationOffset: number;
}

export const DEFAULT_HID_POS_LAYOUT: HidPosLayout = {
  reportId: 0x02,
  lengthOffset: 1,
  symbologyOffset: 2,
  dataOffset: 5,
  dataCapacity: 56,
  continuationOffset: 63,
};

export type HidPosFragment = { ok: true; data: Uint8Array; symbology?: string; more: boolean } | { ok: false; error: string };

/** Decodes one report. Never throws. */
export function decodeHidPosReport(report: Uint8Array, layout: HidPosLayout = DEFAULT_HID_POS_LAYOUT): HidPosFragment {
  if (report.length <= layout.continuationOffset) {
    return { ok: false, error: `HID POS report of ${report.length} bytes, expected ${layout.continuationOffset + 1}` };
  }
  if (report[0] !== layout.reportId) return { ok: false, error: `unexpected HID report ID ${report[0]}` };
  const length = report[layout.lengthOffset] ?? 0;
  if (length > layout.dataCapacity) {
    return { ok: false, error: `HID POS report claims ${length} data bytes, capacity ${layout.dataCapacity}` };
  }
  const aim = report.subarray(layout.symbologyOffset, layout.symbologyOffset + 3);
  const symbology = aim[0] === 0x5d ? Buffer.from(aim).toString('latin1') : undefined;
  const data = report.slice(layout.dataOffset, layout.dataOffset + length);
  const more = ((report[layout.continuationOffset] ?? 0) & 0x01) === 1;
  return symbology === undefined ? { ok: true, data, more } : { ok: true, data, symbology, more };
}

/** Builds the report(s) a scanner would send for `code` (simulators and tests). */
export function encodeHidPosReports(code: Uint8Array, symbology = ']Q1', layout: HidPosLayout = DEFAULT_HID_POS_LAYOUT): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let offset = 0; offset === 0 || offset < code.length; offset += layout.dataCapacity) {
    const chunk = code.subarray(offset, offset + layout.dataCapacity);
    const report = new Uint8Array(layout.continuationOffset + 1);
    report[0] = layout.reportId;
    report[layout.lengthOffset] = chunk.length;
    report.set(Buffer.from(symbology, 'latin1').subarray(0, 3), layout.symbologyOffset);
    report.set(chunk, layout.dataOffset);
    report[layout.continuationOffset] = offset + layout.dataCapacity < code.length ? 1 : 0;
    reports.push(report);
  }
  return reports;
}

export type HidPosResult = { kind: 'code'; data: Uint8Array; symbology?: string } | { kind: 'error'; error: string };

/** Joins continued reports into one code per scan. */
export class HidPosAssembler {
  #parts: Uint8Array[] = [];
  #symbology: string | undefined;

  constructor(private readonly layout: HidPosLayout = DEFAULT_HID_POS_LAYOUT) {}

  push(report: Uint8Array): HidPosResult | undefined {
    const fragment = decodeHidPosReport(report, this.layout);
    if (!fragment.ok) {
      this.#parts = [];
      return { kind: 'error', error: fragment.error };
    }
    if (this.#parts.length === 0) this.#symbology = fragment.symbology;
    this.#parts.push(fragment.data);
    if (fragment.more) return undefined;
    const data = Buffer.concat(this.#parts);
    this.#parts = [];
    return this.#symbology === undefined ? { kind: 'code', data } : { kind: 'code', data, symbology: this.#symbology };
  }
}
