import { describe, expect, it } from 'vitest';
import { isTrustedSender, MAX_REQUEST_BYTES, plausibleRequest, type SenderFrame } from './ipcSender';
import { appOriginOf } from './origin';

const app = appOriginOf('file:///opt/hall/renderer/index.html');
const page = 'file:///opt/hall/renderer/index.html';
const ours = { name: 'our window' };
const own = new Set([ours]);

function top(url: string): SenderFrame {
  return { url, parent: null };
}

describe('isTrustedSender', () => {
  it('trusts the top frame of our window showing our page', () => {
    const frame = top(page);
    expect(isTrustedSender({ contents: ours, frame, mainFrame: frame }, own, app)).toBe(true);
  });

  it('refuses a subframe, even one showing our page', () => {
    const main = top(page);
    const child: SenderFrame = { url: page, parent: main };
    expect(isTrustedSender({ contents: ours, frame: child, mainFrame: main }, own, app)).toBe(false);
  });

  it('refuses a frame that claims no parent but is not the main frame', () => {
    expect(isTrustedSender({ contents: ours, frame: top(page), mainFrame: top(page) }, own, app)).toBe(false);
  });

  it('refuses a gone frame', () => {
    expect(isTrustedSender({ contents: ours, frame: null, mainFrame: top(page) }, own, app)).toBe(false);
  });

  it('refuses a top frame that navigated elsewhere', () => {
    const frame = top('file:///etc/passwd');
    expect(isTrustedSender({ contents: ours, frame, mainFrame: frame }, own, app)).toBe(false);
  });

  it('refuses web contents the shell did not create', () => {
    const frame = top(page);
    expect(isTrustedSender({ contents: { name: 'stranger' }, frame, mainFrame: frame }, own, app)).toBe(false);
  });
});

describe('plausibleRequest', () => {
  it('takes a small object', () => expect(plausibleRequest({ type: 'request', id: 1, method: 'x' })).toBe(true));
  it.each([null, undefined, 'text', 42])('refuses %s', (raw) => expect(plausibleRequest(raw)).toBe(false));
  it('refuses an oversized request', () => expect(plausibleRequest({ blob: 'x'.repeat(MAX_REQUEST_BYTES) })).toBe(false));
  it('refuses what cannot be serialized', () => expect(plausibleRequest({ n: 1n })).toBe(false));
});
