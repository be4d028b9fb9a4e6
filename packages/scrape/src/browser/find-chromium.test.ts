import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BrowserNotFoundError } from '../errors.js';
import { findChromium } from './find-chromium.js';

describe('findChromium', () => {
  it('DLPIPE_CHROMIUM wins; a bad one is an error naming it', () => {
    assert.equal(findChromium({ env: { DLPIPE_CHROMIUM: process.execPath } }), process.execPath);
    assert.throws(
      () => findChromium({ env: { DLPIPE_CHROMIUM: '/nonexistent/chrome' } }),
      (e: unknown) =>
        e instanceof BrowserNotFoundError &&
        /DLPIPE_CHROMIUM is set to \/nonexistent\/chrome/.test(e.message),
    );
  });

  it('tries the system paths, then the Playwright-managed browser', () => {
    assert.equal(
      findChromium({ env: {}, systemPaths: ['/nope', process.execPath], managedPath: null }),
      process.execPath,
    );
    assert.equal(
      findChromium({ env: {}, systemPaths: ['/nope'], managedPath: process.execPath }),
      process.execPath,
    );
  });

  it('none found: says what it tried and how to install one', () => {
    assert.throws(
      () =>
        findChromium({
          env: {},
          systemPaths: ['/nope/chromium', '/tmp'],
          managedPath: '/nope/ms-playwright/chrome',
        }),
      (e: unknown) =>
        e instanceof BrowserNotFoundError &&
        e.message.includes('tried /nope/chromium, /tmp, /nope/ms-playwright/chrome') &&
        e.message.includes('apt-get install chromium') &&
        e.message.includes('npx playwright install chromium'),
    );
  });
});
