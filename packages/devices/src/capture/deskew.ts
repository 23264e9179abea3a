// The page finder is pure TypeScript and lives in shared, so the counter's renderer can run it on camera frames too.
export * from '@hall/shared/imaging/deskew';
