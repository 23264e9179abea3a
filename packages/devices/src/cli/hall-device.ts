import { main } from './main';

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Let stdout drain; then leave even if a half-closed port still holds the loop.
setTimeout(() => process.exit(code), 100).unref();
