/**
 * Which Chromium to drive: `DLPIPE_CHROMIUM` when set, else Debian's `/usr/bin/chromium` (or
 * `chromium-browser`), else a Playwright-managed browser when one is installed. None is a
 * `BrowserNotFoundError` that says how to get one.
 *
 *   const path = findChromium();              // '/usr/bin/chromium'
 *   findChromium({ env: { DLPIPE_CHROMIUM: '/opt/chrome/chrome' } });
 */
import { accessSync, constants, statSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { BrowserNotFoundError } from '../errors.js';

/** Options of `findChromium`. */
export interface FindChromiumOptions {
  /** Environment to read DLPIPE_CHROMIUM from. Default process.env. */
  env?: Record<string, string | undefined>;
  /** System paths to try, in order. Default Debian's and Ubuntu's. */
  systemPaths?: readonly string[];
  /** The Playwright-managed browser's path (default: playwright-core's registry), or null to skip. */
  managedPath?: string | null;
}

export const SYSTEM_CHROMIUM_PATHS: readonly string[] = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

const INSTALL_HINT =
  'Install one: `apt-get install chromium` (Debian/Ubuntu), or `npx playwright install chromium`, ' +
  'or point DLPIPE_CHROMIUM at a Chrome/Chromium executable';

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function managedChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

/** The path of the Chromium executable to launch. */
export function findChromium(options: FindChromiumOptions = {}): string {
  const env = options.env ?? process.env;
  const override = env.DLPIPE_CHROMIUM;
  if (override) {
    if (isExecutable(override)) return override;
    throw new BrowserNotFoundError(
      `DLPIPE_CHROMIUM is set to ${override}, which is not an executable file. ` +
        `Fix the path or unset it to use ${SYSTEM_CHROMIUM_PATHS[0]}. ${INSTALL_HINT}.`,
    );
  }
  const tried = [...(options.systemPaths ?? SYSTEM_CHROMIUM_PATHS)];
  const managed = options.managedPath === undefined ? managedChromium() : options.managedPath;
  if (managed) tried.push(managed);
  const found = tried.find(isExecutable);
  if (found) return found;
  throw new BrowserNotFoundError(
    `no Chromium found (tried ${tried.join(', ')}; DLPIPE_CHROMIUM is unset). ${INSTALL_HINT}.`,
  );
}
