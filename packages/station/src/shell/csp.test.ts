import { describe, expect, it } from 'vitest';
import { buildCsp, stationAddressesOf } from './csp';

function directives(csp: string): Map<string, string> {
  return new Map(csp.split('; ').map((d) => [d.slice(0, d.indexOf(' ')), d.slice(d.indexOf(' ') + 1)]));
}

describe('buildCsp', () => {
  it('lets a renderer connect to the station only', () => {
    const csp = directives(buildCsp(stationAddressesOf('http://127.0.0.1:5174')));
    expect(csp.get('connect-src')).toBe("'self' http://127.0.0.1:5174 ws://127.0.0.1:5174");
  });

  it('lets an IPC renderer connect nowhere', () => {
    expect(directives(buildCsp([])).get('connect-src')).toBe("'none'");
  });

  it('has the fixed restrictions whatever the app needs', () => {
    const csp = directives(buildCsp([], { media: ['data:'], object: ['blob:'] }));
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('base-uri')).toBe("'none'");
    expect(csp.get('form-action')).toBe("'none'");
    expect(csp.get('media-src')).toBe('data:');
    expect(csp.get('object-src')).toBe('blob:');
  });

  it('shuts plugins, frames and media unless the app declares them', () => {
    const csp = directives(buildCsp([]));
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('frame-src')).toBe("'none'");
    expect(csp.get('media-src')).toBe("'none'");
  });

  it('normalizes station addresses to their origins', () => {
    expect(directives(buildCsp(['http://LOCALHOST:80/station-api?x'])).get('connect-src')).toBe("'self' http://localhost");
  });

  it('refuses addresses and sources that are not what they claim', () => {
    expect(() => buildCsp(['file:///etc'])).toThrow(/station address/);
    expect(() => buildCsp(['javascript:alert(1)'])).toThrow(/station address/);
    expect(() => buildCsp([], { img: ["data:; script-src 'unsafe-eval'"] })).toThrow(/CSP source/);
    expect(() => buildCsp([], { media: ['*'] })).toThrow(/CSP source/);
    expect(() => buildCsp([], { frame: ["'unsafe-eval'"] })).toThrow(/CSP source/);
  });
});

describe('stationAddressesOf', () => {
  it('pairs the station origin with its WebSocket twin', () => {
    expect(stationAddressesOf('http://127.0.0.1:5174/')).toEqual(['http://127.0.0.1:5174', 'ws://127.0.0.1:5174']);
    expect(stationAddressesOf('https://[::1]:8443')).toEqual(['https://[::1]:8443', 'wss://[::1]:8443']);
  });
});
