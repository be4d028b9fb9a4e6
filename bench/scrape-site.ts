/**
 * The benchmark site of `pnpm bench scrape`: `/` links to every page (a hub, like a listing or a
 * sitemap), and each of the N pages (`/p/<i>`) has a heading, ~2 KB of text and links to five
 * others, served from memory on 127.0.0.1.
 *
 *   const site = await serveBenchSite(500);  site.urls.length === 501;  await site.close();
 */
import { serveLocalSite } from '@dlpipe/scrape';

export interface BenchSite {
  url: string;
  /** The hub first, then every page: what both contestants visit. */
  urls: string[];
  close(): Promise<void>;
}

const TEXT =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt. '.repeat(22);

function page(i: number, n: number): string {
  const links = [1, 2, 3, 5, 8]
    .map((k) => `<li><a href="/p/${(i + k) % n}">page ${(i + k) % n}</a></li>`)
    .join('');
  return `<!doctype html><html><head><title>Page ${i}</title></head><body><h1>Page ${i}</h1><p>${TEXT}</p><ul>${links}</ul></body></html>`;
}

export async function serveBenchSite(n: number): Promise<BenchSite> {
  const hub = `<!doctype html><html><head><title>Hub</title></head><body><h1>Hub</h1><ul>${Array.from(
    { length: n },
    (_, i) => `<li><a href="/p/${i}">${i}</a></li>`,
  ).join('')}</ul></body></html>`;
  const pages = Array.from({ length: n }, (_, i) => page(i, n));
  const site = await serveLocalSite({
    handler: (_req, res, url) => {
      const m = /^\/p\/(\d+)$/.exec(url.pathname);
      const body = url.pathname === '/' ? hub : m ? pages[Number(m[1])] : undefined;
      if (url.pathname === '/robots.txt')
        res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n');
      else if (body === undefined) res.writeHead(404).end();
      else
        res
          .writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'content-length': Buffer.byteLength(body),
          })
          .end(body);
      return true;
    },
  });
  return {
    url: site.url,
    urls: [`${site.url}/`, ...pages.map((_, i) => `${site.url}/p/${i}`)],
    close: site.close,
  };
}
