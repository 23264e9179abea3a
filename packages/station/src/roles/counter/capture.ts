import { randomBytes } from 'node:crypto';
import { uuidV7, type Case, type CaseWork } from '@hall/shared';
import { combinePagesToPdf, scanPages, type SaneEnvironment } from '@hall/devices';
import { LocalRejection } from '../../store/store';
import type { CounterCaseWork } from './caseWork';
import { imageSize } from './rules/imageSize';
import type { CounterContext } from './context';
import { caseMaterials } from './rules/materials';
import type { CapturedPage, PageMime } from './repository';
import type { CounterSignIn } from './signIn';

/** Scans pages on a SANE scanner: the devices package's scanimage driver behind a small seam. */
export type PageScanner = (pages: number) => Promise<{ mime: PageMime; bytes: Uint8Array; resolutionDpi?: number }[]>;

/** The counter's SANE scanner (`scanimage`), grey PNG pages at a resolution fit for archiving. */
export function saneScanner(device: string, env: SaneEnvironment = {}, resolutionDpi = 200): PageScanner {
  return async (pages) =>
    (await scanPages({ ...env, device, pages, resolutionDpi, mode: 'Gray', format: 'png' })).map((p) => ({
      mime: 'image/png' as const,
      bytes: p.bytes,
      resolutionDpi: p.resolutionDpi,
    }));
}

/** Smaller than this on either side is no page a citizen brought. */
const MIN_PAGE_SIDE = 16;

/** 材料采集: pages of a case's materials from the document camera or the scanner, kept in order, and a material's pages as one PDF. */
export class CounterCapture {
  constructor(
    private readonly context: CounterContext,
    private readonly signIn: CounterSignIn,
    private readonly caseWork: CounterCaseWork,
    private readonly scanner: PageScanner | undefined,
  ) {}

  addPage(caseId: string, materialId: string, mime: PageMime, bytes: Uint8Array, source: 'camera' | 'scanner', dpi?: number): CaseWork {
    const kase = this.editable(caseId);
    if (!caseMaterials(this.context.service(kase.serviceId), kase).some((m) => m.id === materialId)) {
      throw new LocalRejection('unknown_material', `material ${materialId} is not on this case's list`);
    }
    const size = imageSize(mime, bytes);
    if (!size || size.width < MIN_PAGE_SIDE || size.height < MIN_PAGE_SIDE) throw new LocalRejection('bad_image', `the page is not a readable ${mime} image`);
    const position = this.materialPages(caseId, materialId).length;
    this.context.repository.addPage({
      id: uuidV7(this.context.now(), randomBytes(10)),
      caseId,
      materialId,
      position,
      mime,
      width: size.width,
      height: size.height,
      source,
      bytes,
      dpi: dpi ?? null,
    });
    return this.caseWork.view(caseId);
  }

  async scan(caseId: string, materialId: string, pages: number): Promise<CaseWork> {
    const scanner = this.scanner;
    if (!scanner) throw new LocalRejection('no_scanner', 'no scanner is configured at this counter');
    let scanned: Awaited<ReturnType<PageScanner>>;
    try {
      scanned = await scanner(pages);
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'failed';
      throw new LocalRejection(`scan_${code}`, `scanner: ${error instanceof Error ? error.message : String(error)}`);
    }
    let view = this.caseWork.view(caseId);
    for (const page of scanned) view = this.addPage(caseId, materialId, page.mime, page.bytes, 'scanner', page.resolutionDpi);
    return view;
  }

  reorder(caseId: string, materialId: string, pageIds: readonly string[]): CaseWork {
    this.editable(caseId);
    const existing = this.materialPages(caseId, materialId).map((p) => p.id);
    if (existing.length !== pageIds.length || new Set(pageIds).size !== pageIds.length || !pageIds.every((id) => existing.includes(id))) {
      throw new LocalRejection('bad_order', 'the new order must name every page of the material exactly once');
    }
    this.context.repository.reorderPages(pageIds);
    return this.caseWork.view(caseId);
  }

  removePage(caseId: string, pageId: string): CaseWork {
    this.editable(caseId);
    const page = this.context.repository.pages(caseId).find((p) => p.id === pageId);
    if (!page) throw new LocalRejection('unknown_page', `page ${pageId} is not on this case`);
    this.context.repository.removePage(page);
    return this.caseWork.view(caseId);
  }

  pageImage(pageId: string): { mime: PageMime; dataBase64: string } {
    this.signIn.require();
    const image = this.context.repository.pageImage(pageId);
    if (!image) throw new LocalRejection('unknown_page', `page ${pageId} is not known here`);
    return { mime: image.mime, dataBase64: image.bytes.toString('base64') };
  }

  async materialPdf(caseId: string, materialId: string): Promise<{ dataBase64: string; pages: number }> {
    this.signIn.require();
    const kase = this.context.kase(caseId);
    const images = this.context.repository.materialPageImages(caseId, materialId);
    if (images.length === 0) throw new LocalRejection('no_pages', 'nothing captured for this material yet');
    const material = caseMaterials(this.context.service(kase.serviceId), kase).find((m) => m.id === materialId);
    // Camera pages carry no scan resolution: 72 dpi makes one pixel one PDF point.
    const pdf = await combinePagesToPdf(
      images.map((image) => ({ bytes: image.bytes, resolutionDpi: image.dpi ?? 72 })),
      { title: material?.name ?? materialId },
    );
    return { dataBase64: Buffer.from(pdf).toString('base64'), pages: images.length };
  }

  /** Capture stays possible after acceptance (a late page), but not on a refused case. */
  private editable(caseId: string): Case {
    this.signIn.require();
    const kase = this.context.kase(caseId);
    if (this.context.repository.work(caseId).status === 'refused') throw new LocalRejection('case_decided', 'case was refused');
    return kase;
  }

  private materialPages(caseId: string, materialId: string): CapturedPage[] {
    return this.context.repository.pages(caseId).filter((p) => p.materialId === materialId);
  }
}
