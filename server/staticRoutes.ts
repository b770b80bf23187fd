import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';

/**
 * Pages and assets the gateway serves itself (no CDN: they work offline). Returns true when it
 * answered the request; everything else goes to GraphQL.
 *
 * `/timeline` is the event timeline page (server/timeline/): plain HTML/JS/CSS over the public
 * GraphQL API. It is drawn with vis-timeline, served from node_modules under `/timeline/vendor/`.
 * Why vis-timeline: it does exactly this job out of the box (items on a zoomable, pannable time
 * axis, in switchable groups, with selection, tooltips and live updates through a DataSet); it is
 * maintained (several releases in 2026), dual Apache-2.0/MIT, and its standalone UMD build bundles
 * vis-data and everything else it needs into one script with no runtime fetches, so it works
 * offline and needs no build step. Chart libraries (Chart.js, ECharts, D3) would need the
 * grouping, zooming and selection written by hand.
 *
 * Only the fixed routes below are served (no path from the URL reaches the file system), GET and
 * HEAD only, with a strict Content-Security-Policy: scripts from this origin alone, so even a missed
 * escape in the page could not run injected script. Inline styles are allowed: the standalone
 * vis-timeline build injects its own style sheet and positions items with style attributes.
 */

export interface StaticOptions {
  /**
   * Development only (like the token GraphiQL is given with a generated dev secret): an admin
   * token the timeline page uses when the user has not pasted one. The gateway passes it only for
   * a loopback Host and the gateway's own Origin (devAccess.ts); never in production.
   */
  readonly devToken?: string;
}

interface Asset {
  readonly file: () => string;
  readonly type: string;
}

const TEXT_HTML = 'text/html; charset=utf-8';
const JAVASCRIPT = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** server/timeline/ beside this file (ts-jest, tsx) or, from the compiled dist/server/, in the sources. */
function timelineDir(): string {
  const candidates = [join(__dirname, 'timeline'), join(__dirname, '..', '..', 'server', 'timeline')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]!;
}

function visTimelineDir(): string {
  // The package's `exports` list package.json, so this resolves wherever npm put it.
  return dirname(require.resolve('vis-timeline/package.json'));
}

const ROUTES: ReadonlyMap<string, Asset> = new Map<string, Asset>([
  ['/timeline', { file: () => join(timelineDir(), 'index.html'), type: TEXT_HTML }],
  ['/timeline/', { file: () => join(timelineDir(), 'index.html'), type: TEXT_HTML }],
  ['/timeline/timeline.js', { file: () => join(timelineDir(), 'timeline.js'), type: JAVASCRIPT }],
  ['/timeline/timeline.css', { file: () => join(timelineDir(), 'timeline.css'), type: CSS }],
  // The standalone build carries its style sheet and injects it itself.
  [
    '/timeline/vendor/vis-timeline-graph2d.min.js',
    { file: () => join(visTimelineDir(), 'standalone', 'umd', 'vis-timeline-graph2d.min.js'), type: JAVASCRIPT },
  ],
]);

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

interface LoadedAsset {
  readonly body: Buffer;
  readonly etag: string;
  readonly type: string;
}

/** Read once, on first request. The files change only with a deploy (a restart). */
const loaded = new Map<string, LoadedAsset>();

function load(path: string, asset: Asset): LoadedAsset {
  let entry = loaded.get(path);
  if (!entry) {
    const body = readFileSync(asset.file());
    entry = { body, type: asset.type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    loaded.set(path, entry);
  }
  return entry;
}

export function serveStatic(request: IncomingMessage, response: ServerResponse, options: StaticOptions = {}): boolean {
  const pathname = pathOf(request.url);
  if (pathname === null || (pathname !== '/timeline' && !pathname.startsWith('/timeline/'))) return false;

  const asset = ROUTES.get(pathname);
  if (!asset) {
    send(response, 404, 'text/plain; charset=utf-8', 'Not found\n');
    return true;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed\n');
    return true;
  }
  let entry: LoadedAsset;
  try {
    entry = load(pathname, asset);
    if (options.devToken && asset.type === TEXT_HTML) entry = withDevToken(entry, options.devToken);
  } catch {
    send(response, 500, 'text/plain; charset=utf-8', 'Asset unavailable\n');
    return true;
  }
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
  response.setHeader('etag', entry.etag);
  // Always revalidate (cheap with the ETag), so a new deploy is picked up at once. A page holding
  // the development token is never stored at all.
  response.setHeader('cache-control', options.devToken && asset.type === TEXT_HTML ? 'no-store' : 'no-cache');
  if (request.headers['if-none-match'] === entry.etag) {
    response.statusCode = 304;
    response.end();
    return true;
  }
  response.statusCode = 200;
  response.setHeader('content-type', entry.type);
  response.setHeader('content-length', entry.body.length);
  response.end(request.method === 'HEAD' ? undefined : entry.body);
  return true;
}

/** The page with the development token in a meta tag (read by timeline.js). */
function withDevToken(page: LoadedAsset, token: string): LoadedAsset {
  const meta = `<meta name="eventshop-dev-token" content="${escapeAttribute(token)}" />\n  </head>`;
  const body = Buffer.from(page.body.toString('utf8').replace('</head>', meta), 'utf8');
  return { body, type: page.type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function pathOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url, 'http://gateway.invalid').pathname;
  } catch {
    return null;
  }
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.statusCode = status;
  response.setHeader('content-type', type);
  response.setHeader('x-content-type-options', 'nosniff');
  response.end(body);
}
