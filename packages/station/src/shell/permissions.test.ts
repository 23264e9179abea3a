import { describe, expect, it } from 'vitest';
import { appOriginOf } from './origin';
import { decidePermission } from './permissions';

const station = appOriginOf('http://127.0.0.1:5174/');
const camera = { media: ['video'] } as const;

describe('decidePermission', () => {
  it('grants the camera to the station page of an app that declared it', () => {
    expect(decidePermission({ permission: 'media', requestingUrl: 'http://127.0.0.1:5174/capture', mediaTypes: ['video'] }, station, camera)).toBe(true);
  });

  it('answers a check (an origin, no media types) for a declared permission', () => {
    expect(decidePermission({ permission: 'media', requestingUrl: 'http://127.0.0.1:5174' }, station, camera)).toBe(true);
  });

  it('refuses a media kind the app did not declare', () => {
    expect(decidePermission({ permission: 'media', requestingUrl: 'http://127.0.0.1:5174/', mediaTypes: ['video', 'audio'] }, station, camera)).toBe(false);
  });

  it.each(['http://127.0.0.1:5174.evil.com/', 'http://127.0.0.1:5174@evil.com/', 'http://localhost:5174/', 'data:text/html,x', undefined])(
    'refuses the camera to %s',
    (requestingUrl) => expect(decidePermission({ permission: 'media', requestingUrl, mediaTypes: ['video'] }, station, camera)).toBe(false),
  );

  it.each(['geolocation', 'notifications', 'openExternal', 'clipboard-read', 'speaker-selection', 'display-capture', 'hid', 'unknown'])(
    'refuses %s even to the station page',
    (permission) => expect(decidePermission({ permission, requestingUrl: 'http://127.0.0.1:5174/' }, station, camera)).toBe(false),
  );

  it('refuses everything to an app that declared nothing', () => {
    expect(decidePermission({ permission: 'media', requestingUrl: 'http://127.0.0.1:5174/', mediaTypes: ['video'] }, station, {})).toBe(false);
    expect(decidePermission({ permission: 'media', requestingUrl: 'http://127.0.0.1:5174/', mediaTypes: ['video'] }, station, { media: [] })).toBe(false);
  });
});
