/**
 * The misbehaving local site the crawler tests run against (127.0.0.1, a free port): pagination,
 * JS-rendered content, slow pages, 500s then success, 429 with Retry-After, redirect loops and
 * chains, robots.txt, malformed and huge pages, duplicate links, off-site links, non-HTML files.
 *
 *   const site = await startTestSite({ robots: 'User-agent: *\nDisallow: /private/' });
 *   new Crawler({ startUrls: [`${site.url}/list?page=1`], … }); site.hits.get('/item/1');
 */
import type { ServerResponse } from 'node:http';
import { type LocalSite, serveLocalSite } from '../site/local-site.js';
import { encodePng } from '../site/png.js';

/** Options of `startTestSite`. */
export interface TestSiteOptions {
  /** Body of /robots.txt; undefined → 404. */
  robots?: string;
  /** Status of /robots.txt when not 200 (e.g. 503). */
  robotsStatus?: number;
  /** Where /offsite links to (another server's URL). */
  offsite?: string;
  /** Listing pages under /list (default 3, 3 items each). */
  listPages?: number;
  /** Extra delay of every HTML page, ms. */
  delayMs?: number;
  /** Called with the path and query of each request as it arrives (to act at a known point of a crawl). */
  onRequest?: (pathAndQuery: string) => void;
}

export interface TestSite extends LocalSite {
  /** Times (ms since epoch) of each request, per path with query. */
  times: Map<string, number[]>;
}

const html = (res: ServerResponse, body: string, status = 200, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(
    `<!doctype html><html><head><title>${/<h1>(.*?)<\/h1>/.exec(body)?.[1] ?? 'page'}</title></head><body>${body}</body></html>`,
  );
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function listing(page: number, pages: number): string {
  const items = [1, 2, 3].map((k) => {
    const id = (page - 1) * 3 + k;
    return `<div class="item"><h2><a href="/item/${id}">Item ${id}</a></h2><span class="price">$${id},099.50</span>
      <ul><li class="tag">t${id % 2}</li><li class="tag">all</li></ul></div>`;
  });
  const next = page < pages ? `<a rel="next" class="next" href="/list?page=${page + 1}">next</a>` : '';
  return `<h1>List ${page}</h1>${items.join('')}${next}`;
}

function item(id: number): string {
  return `<h1>Item ${id}</h1><table class="specs"><tr><th>key</th><th>value</th></tr>
    <tr><td>id</td><td>${id}</td></tr><tr><td>color</td><td>c${id % 3}</td></tr></table>
    <img src="/img/${id}.png" alt="Photo of item ${id}" width="8" height="8">`;
}

/** A route: the path (a string, or a regex whose groups the handler gets) and what it answers. */
type Route = [string | RegExp, (res: ServerResponse, url: URL, groups: string[]) => void | Promise<void>];

function hugePage(res: ServerResponse, withLength: boolean): void {
  const chunk = Buffer.alloc(1 << 20, 'a');
  const n = 30;
  res.writeHead(200, {
    'content-type': 'text/html',
    ...(withLength ? { 'content-length': String(n << 20) } : {}),
  });
  let i = 0;
  const write = () => {
    while (i < n) {
      i++;
      if (!res.write(chunk)) return void res.once('drain', write);
    }
    res.end();
  };
  res.on('error', () => undefined);
  write();
}

const MALFORMED =
  '<html><head><title>Broken</title><body><h1>Broken <b>page<div class=x>text <p>unclosed <a href="/item/7">seven</a>' +
  "<a href='/item/8'>eight<table><td>cell</tr></div></html>\u0000\uFFFD";

const JS_PAGE = `<h1>JS</h1><div id="app">loading</div><script>setTimeout(() => {
  document.getElementById('app').innerHTML = '<p class="rendered">rendered by JS</p><a href="/item/99">late link</a>';
}, 150)</script>`;

function routes(options: TestSiteOptions, count: (key: string) => number): Route[] {
  const pages = options.listPages ?? 3;
  const key = (url: URL) => url.pathname + url.search;
  return [
    ['/list', (res, url) => html(res, listing(Number(url.searchParams.get('page') ?? 1), pages))],
    [/^\/item\/(\d+)$/, (res, _url, [id]) => html(res, item(Number(id)))],
    [
      /^\/img\/(\d+)\.png$/,
      (res, _url, [id]) =>
        void res
          .writeHead(200, { 'content-type': 'image/png' })
          .end(encodePng(8, 8, (x, y) => [Number(id) * 40, x * 30, y * 30])),
    ],
    ['/js', (res) => html(res, JS_PAGE)],
    [
      '/slow',
      async (res, url) => {
        await sleep(Number(url.searchParams.get('ms') ?? 1000));
        html(res, '<h1>Slow</h1>');
      },
    ],
    [
      /^\/flaky\/\w+$/,
      (res, url) =>
        count(key(url)) <= Number(url.searchParams.get('fails') ?? 2)
          ? html(res, '<h1>Oops</h1>', 500)
          : html(res, '<h1>Recovered</h1>'),
    ],
    [
      /^\/busy\/\w+$/,
      (res, url) =>
        count(key(url)) === 1
          ? html(res, '<h1>Slow down</h1>', 429, { 'retry-after': url.searchParams.get('after') ?? '1' })
          : html(res, '<h1>Served</h1>'),
    ],
    [
      /^\/loop\/(a|b)$/,
      (res, _url, [ab]) => void res.writeHead(302, { location: ab === 'a' ? '/loop/b' : '/loop/a' }).end(),
    ],
    [
      /^\/chain\/(\d+)$/,
      (res, _url, [n]) =>
        Number(n) === 0
          ? html(res, '<h1>End of chain</h1>')
          : void res.writeHead(302, { location: `/chain/${Number(n) - 1}` }).end(),
    ],
    ['/malformed', (res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(MALFORMED)],
    ['/huge', (res) => hugePage(res, false)],
    ['/huge-len', (res) => hugePage(res, true)],
    [
      '/dupes',
      (res, url) =>
        html(
          res,
          `<h1>Dupes</h1><a href="/q?a=1&b=2#top">1</a><a href="/q?b=2&a=1">2</a><a href="/q?a=1&b=2#x">3</a>
          <a href="http://${url.host.toUpperCase()}/q?b=2&a=1">4</a><a href="/q?a=1&b=2&utm_source=x">5</a><a href="mailto:a@b.c">m</a>`,
        ),
    ],
    ['/q', (res, url) => html(res, `<h1>Q ${url.searchParams.toString()}</h1>`)],
    [
      '/offsite',
      (res) =>
        html(
          res,
          `<h1>Off</h1><a href="${options.offsite ?? 'http://127.0.0.2:9/'}">elsewhere</a><a href="/item/1">one</a>`,
        ),
    ],
    [
      '/files',
      (res) =>
        html(
          res,
          '<h1>Files</h1><a href="/data.json">j</a><a href="/file.bin">b</a><a href="/img/1.png">i</a>',
        ),
    ],
    ['/data.json', (res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}')],
    [
      '/file.bin',
      (res) =>
        void res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.alloc(2048)),
    ],
    ['/gone', (res) => html(res, '<h1>Gone</h1>', 410)],
    [/^\/private\/(secret|open)$/, (res, url) => html(res, `<h1>${url.pathname}</h1>`)],
  ];
}

export async function startTestSite(options: TestSiteOptions = {}): Promise<TestSite> {
  const counters = new Map<string, number>();
  const times = new Map<string, number[]>();
  const count = (key: string) => {
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    return n;
  };
  const table = routes(options, count);
  const site = await serveLocalSite({
    handler: async (_req, res, url) => {
      const p = url.pathname;
      const key = p + url.search;
      times.set(key, [...(times.get(key) ?? []), Date.now()]);
      options.onRequest?.(key);
      if (p === '/robots.txt') {
        if (options.robotsStatus) res.writeHead(options.robotsStatus).end('unavailable');
        else if (options.robots === undefined) res.writeHead(404).end('none');
        else res.writeHead(200, { 'content-type': 'text/plain' }).end(options.robots);
        return true;
      }
      for (const [match, handle] of table) {
        const m = typeof match === 'string' ? (match === p ? [p] : null) : match.exec(p);
        if (!m) continue;
        if (options.delayMs && !p.startsWith('/img/')) await sleep(options.delayMs);
        await handle(res, url, m.slice(1));
        return true;
      }
      return false;
    },
  });
  return { ...site, times };
}
