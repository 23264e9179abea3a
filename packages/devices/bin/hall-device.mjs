#!/usr/bin/env node
// npm bin entries must be JavaScript: register tsx's loader, then run the TS CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/hall-device.ts');
