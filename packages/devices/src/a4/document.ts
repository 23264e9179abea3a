import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { CjkFontSlices } from './cjkFont';

/** A printed A4 document as rows of label and value: an application form, a guide. */
export interface A4Document {
  title: string;
  subtitle?: string;
  sections: ReadonlyArray<{ heading: string; rows: ReadonlyArray<{ label: string; value: string }> }>;
  /** Lines at the end, e.g. the signature line and the print time. */
  footer?: readonly string[];
  /** Fixed for reproducible files; defaults to now. */
  createdAt?: Date;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const LABEL_WIDTH = 150;
const BODY = 12;
const LINE = 20;

let regular: CjkFontSlices | undefined;
let bold: CjkFontSlices | undefined;

/** Writes text slice by slice, so one line may mix Chinese, Latin and digits. */
class Writer {
  readonly #fonts = new Map<string, Promise<PDFFont>>();
  page: PDFPage;
  y: number;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly slices: { regular: CjkFontSlices; bold: CjkFontSlices },
  ) {
    this.page = pdf.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  #font(weight: 'regular' | 'bold', slice: string): Promise<PDFFont> {
    const key = `${weight}:${slice}`;
    let font = this.#fonts.get(key);
    if (!font) {
      font = this.pdf.embedFont(this.slices[weight].bytesOf(slice), { subset: true });
      this.#fonts.set(key, font);
    }
    return font;
  }

  async width(text: string, size: number, weight: 'regular' | 'bold' = 'regular'): Promise<number> {
    let total = 0;
    for (const run of this.slices[weight].runs(text)) total += (await this.#font(weight, run.slice)).widthOfTextAtSize(run.text, size);
    return total;
  }

  /** Breaks text into lines no wider than `maxWidth` (by character: Chinese has no spaces to break at). */
  async wrap(text: string, size: number, maxWidth: number, weight: 'regular' | 'bold' = 'regular'): Promise<string[]> {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      for (const char of paragraph) {
        if (line && (await this.width(line + char, size, weight)) > maxWidth) {
          lines.push(line);
          line = '';
        }
        line += char;
      }
      lines.push(line);
    }
    return lines;
  }

  ensure(height: number): void {
    if (this.y - height >= MARGIN) return;
    this.page = this.pdf.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  async draw(text: string, x: number, size: number, weight: 'regular' | 'bold' = 'regular'): Promise<void> {
    let at = x;
    for (const run of this.slices[weight].runs(text)) {
      const font = await this.#font(weight, run.slice);
      this.page.drawText(run.text, { x: at, y: this.y, size, font, color: rgb(0, 0, 0) });
      at += font.widthOfTextAtSize(run.text, size);
    }
  }
}

/**
 * Lays out an A4 document as PDF with the Chinese font embedded (subset to the
 * characters used), so any printer and any PDF reader shows the same page.
 */
export async function renderA4Document(document: A4Document): Promise<Uint8Array> {
  regular ??= new CjkFontSlices(400);
  bold ??= new CjkFontSlices(700);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(document.title);
  pdf.setProducer('hall suite');
  const when = document.createdAt ?? new Date();
  pdf.setCreationDate(when);
  pdf.setModificationDate(when);
  const w = new Writer(pdf, { regular, bold });
  const contentWidth = A4[0] - 2 * MARGIN;

  const titleSize = 20;
  w.y -= titleSize;
  await w.draw(document.title, MARGIN + (contentWidth - (await w.width(document.title, titleSize, 'bold'))) / 2, titleSize, 'bold');
  w.y -= LINE;
  if (document.subtitle) {
    await w.draw(document.subtitle, MARGIN, BODY - 2);
    w.y -= LINE;
  }
  for (const section of document.sections) {
    w.ensure(LINE * 3);
    w.y -= LINE / 2;
    await w.draw(section.heading, MARGIN, BODY + 2, 'bold');
    w.y -= 6;
    w.page.drawLine({ start: { x: MARGIN, y: w.y }, end: { x: A4[0] - MARGIN, y: w.y }, thickness: 0.8 });
    w.y -= LINE;
    for (const row of section.rows) {
      const labelLines = await w.wrap(row.label, BODY, LABEL_WIDTH - 10);
      const valueLines = await w.wrap(row.value || '—', BODY, contentWidth - LABEL_WIDTH);
      for (let i = 0; i < Math.max(labelLines.length, valueLines.length); i += 1) {
        w.ensure(LINE);
        const label = labelLines[i];
        const value = valueLines[i];
        if (label) await w.draw(label, MARGIN, BODY);
        if (value) await w.draw(value, MARGIN + LABEL_WIDTH, BODY);
        w.y -= LINE;
      }
      w.page.drawLine({ start: { x: MARGIN, y: w.y + LINE - 6 }, end: { x: A4[0] - MARGIN, y: w.y + LINE - 6 }, thickness: 0.3, color: rgb(0.6, 0.6, 0.6) });
    }
  }
  if (document.footer?.length) {
    w.y -= LINE;
    for (const line of document.footer) {
      for (const part of await w.wrap(line, BODY, contentWidth)) {
        w.ensure(LINE);
        await w.draw(part, MARGIN, BODY);
        w.y -= LINE * 1.4;
      }
    }
  }
  return pdf.save();
}
