import { PDFDocument } from 'pdf-lib';

export interface PageImage {
  /** PNG or JPEG bytes (scan with `format: 'png'` to combine into a PDF). */
  bytes: Uint8Array;
  /** Pixels per inch, to give the PDF page its physical size. */
  resolutionDpi: number;
}

export interface MaterialPdfOptions {
  /** The material's name, stored as the PDF title (e.g. 居民身份证复印件). */
  title?: string;
  /** Fixed for reproducible files; defaults to now. */
  createdAt?: Date;
}

function imageKind(bytes: Uint8Array): 'png' | 'jpeg' {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpeg';
  throw new RangeError('page image must be PNG or JPEG');
}

/**
 * Puts the pages of one material into one PDF, in the order given, each page
 * sized to the scan (pixels / dpi × 72 pt), so a clerk's reordering is just a
 * different array.
 */
export async function combinePagesToPdf(pages: readonly PageImage[], options: MaterialPdfOptions = {}): Promise<Uint8Array> {
  if (pages.length === 0) throw new RangeError('a material needs at least one page');
  const pdf = await PDFDocument.create();
  if (options.title) pdf.setTitle(options.title);
  pdf.setProducer('hall suite');
  const when = options.createdAt ?? new Date();
  pdf.setCreationDate(when);
  pdf.setModificationDate(when);
  for (const [index, page] of pages.entries()) {
    if (!(page.resolutionDpi > 0)) throw new RangeError(`page ${index + 1}: resolution must be positive`);
    const image = imageKind(page.bytes) === 'png' ? await pdf.embedPng(page.bytes) : await pdf.embedJpg(page.bytes);
    const width = (image.width / page.resolutionDpi) * 72;
    const height = (image.height / page.resolutionDpi) * 72;
    pdf.addPage([width, height]).drawImage(image, { x: 0, y: 0, width, height });
  }
  return pdf.save();
}

/** `order[i]` is the index in `pages` of the page that goes i-th; must be a permutation. */
export function reorderPages<T>(pages: readonly T[], order: readonly number[]): T[] {
  const seen = new Set(order);
  if (order.length !== pages.length || seen.size !== order.length || order.some((i) => !(i in pages))) {
    throw new RangeError(`page order must list each of the ${pages.length} pages exactly once`);
  }
  return order.map((i) => pages[i] as T);
}
