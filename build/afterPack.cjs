// electron-builder afterPack hook: flips the hardened fuses into the packaged Electron
// binary of release builds (HALL_RELEASE=1), before signing and installer creation.
/* global require, exports, process, console */
/* eslint-disable @typescript-eslint/no-require-imports, no-console */
const path = require('node:path');
const { flipFuses } = require('@electron/fuses');
const { fuseConfigFor, isRelease } = require('./fuses.cjs');

exports.default = async function afterPack(context) {
  const app = process.env.HALL_APP;
  if (!isRelease(process.env)) {
    console.log(`[hall] ${app}: development package, fuses left at their defaults (HALL_RELEASE=1 hardens them)`);
    return;
  }
  const platform = context.electronPlatformName;
  const productFilename = context.packager.appInfo.productFilename;
  const executable = platform === 'win32' ? `${productFilename}.exe` : context.packager.executableName ?? productFilename;
  const binary = path.join(context.appOutDir, executable);
  const flipped = await flipFuses(binary, fuseConfigFor(platform, app));
  console.log(`[hall] ${app}: hardened ${flipped} fuse(s) in ${binary}`);
};
