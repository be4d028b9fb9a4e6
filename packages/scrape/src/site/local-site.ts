/**
 * A small HTTP server on 127.0.0.1 (a free port) for local sites: static files from a directory
 * plus optional dynamic routes. The demo, the tests and the benchmark serve their sites with it.
 *
 *   const site = await serveLocalSite({ root: 'data/scrape/site' });
 *   site.url;  // 'http://127.0.0.1:41234'
 *   await site.close();
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, normalize, resolve, sep } from 'node:path';

/** A dynamic route: returns true when it answered the request. */
export type SiteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;

/** Options of `serveLocalSite`. */
export interface LocalSiteOptions {
  /** Directory of static files (index.html for directories). */
  root?: string;
  /** Tried before the static files. */
  handler?: SiteHandler;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
}

export interface LocalSite {
  /** `http://host:port`, no trailing slash. */
  url: string;
  /** Requests per path (with query), for tests. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
};

function sendFile(root: string, pathname: string, res: ServerResponse): void {
  let rel = decodeURIComponent(pathname);
  if (rel.endsWith('/')) rel += 'index.html';
  const file = resolve(root, `.${normalize(`/${rel}`)}`);
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end('forbidden');
    return;
  }
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) {
      res.writeHead(301, { location: `${pathname}/` }).end();
      return;
    }
    size = st.size;
  } catch {
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end('<h1>404 Not Found</h1>');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': size,
  });
  createReadStream(file).pipe(res);
}

export async function serveLocalSite(options: LocalSiteOptions): Promise<LocalSite> {
  const root = options.root ? resolve(options.root) : undefined;
  const hits = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const key = url.pathname + url.search;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    try {
      if (options.handler && (await options.handler(req, res, url))) return;
      if (root && (req.method === 'GET' || req.method === 'HEAD')) return sendFile(root, url.pathname, res);
      res.writeHead(404).end('not found');
    } catch (err) {
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.destroy();
    }
  });
  server.keepAliveTimeout = 5000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    hits,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
