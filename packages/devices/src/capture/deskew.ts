// The page finder is pure TypeScript and lives in shared, so the counter's renderer can run it on camera frames too.
export { cropAndDeskew, detectPage, otsuThreshold, PageNotFoundError } from '@hall/shared';
export type { CropOptions, PageDetection, PixelImage, Point } from '@hall/shared';
