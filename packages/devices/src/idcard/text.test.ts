import { inspect } from 'node:util';
import { makeTestIdNumber } from '@hall/shared';
import { describe, expect, it } from 'vitest';
import { cardFromJson, loadCardFile } from './cardFile';
import { nationName } from './codes';
import { WltPhoto } from './photo';
import { cardTypeMarker, decodeTextBlock, encodeTextBlock } from './text';
import { testForeignCard, testHmtPermit, testResidentCard } from './testCards';

describe('ID card text block', () => {
  it.each([
    ['resident', testResidentCard()],
    ['foreign permanent resident', testForeignCard()],
    ['HK/Macau/Taiwan residence permit', testHmtPermit()],
  ])('roundtrips a %s document through the 256-byte block', (_kind, document) => {
    const block = encodeTextBlock(document);
    expect(block.length).toBe(256);
    expect(decodeTextBlock(block)).toEqual({ ok: true, document });
  });

  it('places the card-type marker at byte 248 for I and J layouts', () => {
    expect(cardTypeMarker(encodeTextBlock(testForeignCard()))).toBe('I');
    expect(cardTypeMarker(encodeTextBlock(testHmtPermit()))).toBe('J');
    expect(cardTypeMarker(encodeTextBlock(testResidentCard()))).toBe(' ');
  });

  it('lays out the resident name as 15 UCS-2LE characters followed by the sex code', () => {
    const block = encodeTextBlock(testResidentCard({ name: '测试' }));
    expect(block.subarray(0, 4).toString('utf16le')).toBe('测试');
    expect(block.subarray(30, 32).toString('utf16le')).toBe('2');
    expect(block.subarray(32, 36).toString('utf16le')).toBe('01');
    expect(block.subarray(36, 52).toString('utf16le')).toBe('19900101');
  });

  it('rejects an ID number with a wrong check digit', () => {
    const good = makeTestIdNumber({ birthDate: '1990-01-01' });
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const result = decodeTextBlock(encodeTextBlock(testResidentCard({ idNumber: wrong })));
    expect(result).toEqual({ ok: false, error: 'ID number check digit does not match' });
  });

  it('rejects impossible dates and wrong block sizes', () => {
    expect(decodeTextBlock(encodeTextBlock(testResidentCard({ birthDate: '1990-02-30' })))).toEqual({
      ok: false,
      error: 'birth date is not a YYYYMMDD date',
    });
    expect(decodeTextBlock(new Uint8Array(10))).toMatchObject({ ok: false });
  });

  it('names GB 3304 nations and leaves unknown codes visible', () => {
    expect(nationName('01')).toBe('汉族');
    expect(nationName('56')).toBe('基诺族');
    expect(nationName('77')).toBe('未知代码 77');
  });
});

describe('WLT photo', () => {
  it('never prints or serialises its bytes', () => {
    const photo = new WltPhoto(Uint8Array.of(0x57, 0x4c, 0x54, 0x21));
    expect(JSON.stringify({ photo })).toBe('{"photo":{"wlt":"redacted","length":4}}');
    expect(inspect({ photo })).toContain('[WltPhoto 4 bytes, redacted]');
    expect(String(photo)).not.toContain('87');
    expect(Array.from(photo.bytes())).toEqual([0x57, 0x4c, 0x54, 0x21]);
  });
});

describe('card files for the simulator', () => {
  it('loads the shipped example and generates a valid ID number', () => {
    const card = loadCardFile(new URL('./example-card.json', import.meta.url).pathname);
    const decoded = decodeTextBlock(encodeTextBlock(card.document));
    expect(decoded.ok).toBe(true);
  });

  it('rejects a malformed card file with a zod error', () => {
    expect(() => cardFromJson({ document: { kind: 'resident', name: 1 } })).toThrow();
  });
});
