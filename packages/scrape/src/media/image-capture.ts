/**
 * Images for vision datasets: the bytes the browser already loaded for a page (captured from its
 * responses, so nothing is fetched twice), else a fetch from the page's context (its cookies);
 * saved content-addressed as `<sha256>.<ext>` with one manifest row per image on the page.
 *
 *   const capture = ImageCapture.attach(page);   // before goto
 *   const rows = await capture.save(found, { dir, pageUrl, maxBytes: 20e6, minWidth: 1, minHeight: 1 });
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, writeFileAtomicSync } from '@dlpipe/core';
import type { Page, Response } from 'playwright-core';
import type { ImageRecord } from '../storage/types.js';

/** An image element as the page script reports it. */
export interface FoundImage {
  src: string;
  alt: string;
  width?: number;
  height?: number;
}

/** Options of `ImageCapture.save`. */
export interface SaveImagesOptions {
  dir: string;
  pageUrl: string;
  maxBytes: number;
  minWidth: number;
  minHeight: number;
  timeoutMs: number;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/svg+xml': 'svg',
  'image/bmp': 'bmp',
  'image/x-icon': 'ico',
  'image/vnd.microsoft.icon': 'ico',
  'image/tiff': 'tif',
};

/** The file extension for an image MIME type ('bin' when unknown). */
export function imageExtension(contentType: string): string {
  return EXTENSIONS[contentType.split(';')[0]!.trim().toLowerCase()] ?? 'bin';
}

export class ImageCapture {
  private readonly seen = new Map<string, Response>();
  private readonly listener = (r: Response) => {
    if (r.request().resourceType() === 'image' && r.ok()) this.seen.set(r.url(), r);
  };

  private constructor(private readonly page: Page) {
    page.on('response', this.listener);
  }

  /** Starts recording the page's image responses (call before navigating). */
  static attach(page: Page): ImageCapture {
    return new ImageCapture(page);
  }

  detach(): void {
    this.page.off('response', this.listener);
  }

  private async bytesOf(
    src: string,
    o: SaveImagesOptions,
  ): Promise<{ body: Buffer; contentType: string } | string> {
    const seen = this.seen.get(src);
    if (seen) {
      try {
        return { body: await seen.body(), contentType: (await seen.headerValue('content-type')) ?? '' };
      } catch {
        // evicted from the browser's buffers: fetch it below
      }
    }
    const res = await this.page
      .context()
      .request.get(src, { timeout: o.timeoutMs, maxRedirects: 5, failOnStatusCode: false });
    try {
      if (!res.ok()) return `HTTP ${res.status()}`;
      const length = Number(res.headers()['content-length'] ?? 0);
      if (length > o.maxBytes) return `larger than maxBytes (${length} > ${o.maxBytes})`;
      return { body: await res.body(), contentType: res.headers()['content-type'] ?? '' };
    } finally {
      await res.dispose();
    }
  }

  /** Saves the page's images; returns manifest rows and, for images left out, why. */
  async save(
    found: readonly FoundImage[],
    o: SaveImagesOptions,
  ): Promise<{ rows: ImageRecord[]; skipped: string[] }> {
    const rows: ImageRecord[] = [];
    const skipped: string[] = [];
    ensureDir(o.dir, 'image folder');
    for (const [index, img] of found.entries()) {
      if (
        (img.width !== undefined && img.width < o.minWidth) ||
        (img.height !== undefined && img.height < o.minHeight)
      ) {
        skipped.push(`${img.src}: ${img.width}×${img.height} px is below minWidth×minHeight`);
        continue;
      }
      let got: Awaited<ReturnType<ImageCapture['bytesOf']>>;
      try {
        got = await this.bytesOf(img.src, o);
      } catch (err) {
        skipped.push(`${img.src}: ${(err as Error).message.split('\n')[0]}`);
        continue;
      }
      if (typeof got === 'string') {
        skipped.push(`${img.src}: ${got}`);
        continue;
      }
      const contentType = got.contentType.split(';')[0]!.trim().toLowerCase();
      if (!contentType.startsWith('image/')) {
        skipped.push(`${img.src}: not an image (${contentType || 'no Content-Type'})`);
        continue;
      }
      if (got.body.length > o.maxBytes) {
        skipped.push(`${img.src}: larger than maxBytes (${got.body.length} > ${o.maxBytes})`);
        continue;
      }
      const sha256 = createHash('sha256').update(got.body).digest('hex');
      const file = `${sha256}.${imageExtension(contentType)}`;
      writeOnce(join(o.dir, file), got.body);
      rows.push({
        index,
        file,
        sha256,
        src: img.src,
        alt: img.alt,
        pageUrl: o.pageUrl,
        width: img.width,
        height: img.height,
        bytes: got.body.length,
        contentType,
      });
    }
    return { rows, skipped };
  }
}

/** Writes a content-addressed file unless it exists (atomically: a hidden temporary file, then rename). */
function writeOnce(path: string, body: Buffer): void {
  if (!existsSync(path))
    writeFileAtomicSync(path, new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
}
