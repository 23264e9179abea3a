// Electron fuses for release builds: flipped in the packaged binary by the afterPack hook.
// CommonJS because electron-builder require()s its hooks.
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports */
const { FuseV1Options, FuseVersion } = require('@electron/fuses');

/**
 * The hardened fuse wire. Run-as-node, NODE_OPTIONS and --inspect would each let anyone at
 * the keyboard or with a shortcut run arbitrary code with the station's rights. The app
 * loads only from its asar; on Windows the asar's integrity is checked at start (Electron
 * supports that check on Windows and macOS only). Kiosk and display load their renderer
 * from file:// (Vite's module scripts need file:// privileges there); the counter loads
 * over loopback http, so it gives them up.
 */
function fuseConfigFor(platform, app) {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: platform === 'win32',
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: app !== 'counter',
  };
}

/** Release builds set HALL_RELEASE=1; development packages keep the default wire for debugging. */
function isRelease(env) {
  return env.HALL_RELEASE === '1';
}

module.exports = { fuseConfigFor, isRelease };
