import { describe, expect, it } from 'vitest';
import { appOriginOf, isAppUrl } from './origin';

const station = appOriginOf('http://127.0.0.1:5174/');
const files = appOriginOf('file:///opt/hall/renderer/index.html');

describe('appOriginOf', () => {
  it('is the normalized origin of an http start page', () => {
    expect(appOriginOf('HTTP://LOCALHOST:80/rating?x=1')).toEqual({ kind: 'http', origin: 'http://localhost' });
  });

  it('is the directory of a file start page', () => {
    expect(files).toEqual({ kind: 'file', root: '/opt/hall/renderer' });
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', 'about:blank', 'not a url', 'file://evil.host/share/index.html'])('refuses to trust %s', (url) => {
    expect(() => appOriginOf(url)).toThrow(/not an app start page/);
  });
});

describe('isAppUrl for the station http origin', () => {
  it.each([
    'http://127.0.0.1:5174/',
    'http://127.0.0.1:5174/rating',
    'http://127.0.0.1:5174/a/b?c#d',
  ])('accepts %s', (url) => expect(isAppUrl(url, station)).toBe(true));

  it.each([
    ['a longer host that starts with the address', 'http://127.0.0.1:5174.evil.com/'],
    ['user info before another host', 'http://127.0.0.1:5174@evil.com/'],
    ['another port', 'http://127.0.0.1:5175/'],
    ['another scheme', 'https://127.0.0.1:5174/'],
    ['the websocket scheme', 'ws://127.0.0.1:5174/'],
    ['another name for the same machine', 'http://localhost:5174/'],
    ['javascript:', 'javascript:alert(document.domain)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['a file', 'file:///etc/passwd'],
    ['unparsable', 'http://[::1'],
    ['empty', ''],
    ['missing', undefined],
  ])('refuses %s', (_why, url) => expect(isAppUrl(url, station)).toBe(false));

  it('compares hosts and ports as the URL parser normalizes them', () => {
    expect(isAppUrl('HTTP://127.0.0.1:5174/', station)).toBe(true);
    const onDefaultPort = appOriginOf('http://station.local/');
    expect(isAppUrl('http://STATION.local:80/x', onDefaultPort)).toBe(true);
    expect(isAppUrl('http://station.local:8080/x', onDefaultPort)).toBe(false);
  });
});

describe('isAppUrl for a file renderer', () => {
  it('accepts pages and assets inside the renderer directory', () => {
    expect(isAppUrl('file:///opt/hall/renderer/index.html?voice=elderly#/start', files)).toBe(true);
    expect(isAppUrl('file:///opt/hall/renderer/assets/app.js', files)).toBe(true);
  });

  it.each([
    ['another file on the machine', 'file:///etc/passwd'],
    ['a sibling directory sharing the prefix', 'file:///opt/hall/renderer-evil/index.html'],
    ['the directory itself', 'file:///opt/hall/renderer'],
    ['dot segments out of the directory', 'file:///opt/hall/renderer/../../../etc/passwd'],
    ['encoded dot segments', 'file:///opt/hall/renderer/%2e%2e/secret.html'],
    ['an encoded separator', 'file:///opt/hall/renderer%2F..%2Fsecret.html'],
    ['a remote file host', 'file://evil.host/opt/hall/renderer/index.html'],
    ['http', 'http://127.0.0.1:5174/'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,x'],
  ])('refuses %s', (_why, url) => expect(isAppUrl(url, files)).toBe(false));
});
