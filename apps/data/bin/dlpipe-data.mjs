#!/usr/bin/env node
// `pnpm data`: dist/cli.js when `pnpm build` made it from the current sources, else src/cli.ts
// through tsx (DLPIPE_DEV=1 or `pnpm dev:data` forces the sources); see scripts/cli-launcher.mjs.
import { launch } from '../../../scripts/cli-launcher.mjs';

await launch('data');
