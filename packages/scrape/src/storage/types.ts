/**
 * The storage seams of a crawl: a persistent request queue, the results dataset (records and the
 * image manifest) and run history. SQLite is the embedded default, memory the one for tests; a
 * shared store (Redis, Postgres) implements the same interfaces to spread a crawl over machines.
 *
 *   const store = openSqliteStore('runs/scrape/scrape.sqlite');   // or new MemoryStore()
 *   const run = await store.runs.create({ job: 'shop', trigger: 'cli' });
 *   const queue = store.queue(run.id); await queue.add([{ url, depth: 0 }]);
 */

/** Where a request is in its life. */
export type RequestStatus = 'pending' | 'in_progress' | 'done' | 'failed' | 'skipped';
export const REQUEST_STATUSES: readonly RequestStatus[] = [
  'pending',
  'in_progress',
  'done',
  'failed',
  'skipped',
];

/** A request to add; `uniqueKey` (default: the URL) de-duplicates. */
export interface NewRequest {
  url: string;
  uniqueKey?: string;
  /** Links followed from a start URL (0 for start URLs). */
  depth: number;
  /** Higher first; pagination links go first so a listing is walked before its items. Default 0. */
  priority?: number;
  /** Free-form tag for handlers ('start', 'pagination', 'link'). */
  label?: string;
  /** The request this one was found on. */
  parentId?: number;
}

/** A request as stored in the queue. */
export interface CrawlRequest {
  id: number;
  url: string;
  uniqueKey: string;
  /** `host:port`, the politeness bucket. */
  host: string;
  depth: number;
  priority: number;
  label: string | undefined;
  parentId: number | undefined;
  status: RequestStatus;
  /** Failed attempts so far. */
  attempts: number;
  /** Not to be started before this time (ms since epoch): backoff after a failure. */
  notBefore: number;
  lastError: string | undefined;
  httpStatus: number | undefined;
  /** Where the page ended up after redirects. */
  loadedUrl: string | undefined;
}

/** One downloaded image, a row of the image manifest. */
export interface ImageRecord {
  /** Order of the image on its page. */
  index: number;
  /** Path of the file, relative to the run's image directory (content-addressed: `<sha256>.<ext>`). */
  file: string;
  sha256: string;
  /** Absolute URL the image was loaded from. */
  src: string;
  /** The `alt` text ('' when the element has none). */
  alt: string;
  /** The page the image is on. */
  pageUrl: string;
  width: number | undefined;
  height: number | undefined;
  bytes: number;
  contentType: string;
}

/** Everything a handled page produces, stored in one transaction with the request marked done. */
export interface PageCommit {
  records: Record<string, unknown>[];
  images: ImageRecord[];
  links: NewRequest[];
  httpStatus?: number;
  loadedUrl?: string;
}

/** A dataset record with its key. */
export interface DatasetRecord {
  requestId: number;
  index: number;
  data: Record<string, unknown>;
}

/** Options of `RequestQueue.claim`. */
export interface ClaimOptions {
  /** At most this many. */
  limit: number;
  /** Requests whose `notBefore` is later wait. */
  now: number;
  /** Called in queue order; a request is claimed only if this returns true (politeness checks). */
  accept(request: CrawlRequest): boolean;
}

export type QueueCounts = Record<RequestStatus, number>;

/** The persistent request queue of one run. */
export interface RequestQueue {
  /** Adds requests not seen before in this run; returns how many were new. */
  add(requests: readonly NewRequest[]): Promise<number>;
  /** Moves ready pending requests to in_progress, in priority then insertion order. */
  claim(options: ClaimOptions): Promise<CrawlRequest[]>;
  /** Marks an in-progress request done and stores its records, images and links, atomically. False if it was not in progress. */
  complete(id: number, commit: PageCommit): Promise<boolean>;
  /** Back to pending after a failed attempt, not before `notBefore`; `attempts` + 1. */
  retry(id: number, error: string, notBefore: number, httpStatus?: number): Promise<void>;
  /** Failed for good. */
  fail(id: number, error: string, httpStatus?: number): Promise<void>;
  /** Not fetched, on purpose (robots.txt, not HTML …). */
  skip(id: number, reason: string, httpStatus?: number): Promise<void>;
  /** In-progress requests back to pending (after a crash or a graceful stop); returns how many. */
  release(): Promise<number>;
  counts(): Promise<QueueCounts>;
  /** Earliest `notBefore` of the pending requests, or undefined when none is pending. */
  nextNotBefore(): Promise<number | undefined>;
  /** Requests with a status, oldest first (for reports). */
  list(status: RequestStatus, limit: number): Promise<CrawlRequest[]>;
}

/** The results of one run. */
export interface Dataset {
  count(): Promise<number>;
  /** Records in (request id, index) order. */
  records(): AsyncIterable<DatasetRecord>;
  imageCount(): Promise<number>;
  images(): AsyncIterable<ImageRecord & { requestId: number }>;
}

/** What a run is doing or how it ended. */
export type RunStatus = 'running' | 'finished' | 'interrupted' | 'failed' | 'abandoned';

/** Numbers of a run, refreshed while it runs. */
export interface RunStats {
  done: number;
  failed: number;
  skipped: number;
  pending: number;
  records: number;
  images: number;
  retries: number;
  /** Seconds spent crawling, over all sessions of the run. */
  elapsedS: number;
  /** Pages handled (done, failed, skipped) per minute of crawling. */
  pagesPerMin: number;
}

export interface RunInfo {
  id: number;
  job: string;
  status: RunStatus;
  /** What started it: 'cli', 'schedule', 'schedule-catch-up', 'api'. */
  trigger: string;
  startedAt: number;
  finishedAt: number | undefined;
  /** The process running it (for a running run). */
  pid: number | undefined;
  heartbeatAt: number | undefined;
  stats: RunStats;
  /** Why it failed or was interrupted. */
  error: string | undefined;
  /** Hash of the job definition, to warn when a resumed run's job changed. */
  configHash: string | undefined;
  /** Sessions (a resume after a kill or SIGTERM adds one). */
  sessions: number;
}

/** Fields a run update may change. */
export type RunPatch = Partial<
  Pick<RunInfo, 'status' | 'finishedAt' | 'pid' | 'heartbeatAt' | 'stats' | 'error' | 'sessions'>
>;

/** Run history. */
export interface RunStore {
  create(run: { job: string; trigger: string; configHash?: string }): Promise<RunInfo>;
  get(id: number): Promise<RunInfo | undefined>;
  /** The newest run of a job. */
  latest(job: string): Promise<RunInfo | undefined>;
  /** Newest first. */
  list(options?: { job?: string; limit?: number }): Promise<RunInfo[]>;
  update(id: number, patch: RunPatch): Promise<void>;
  /** When the scheduler last accounted for a job's slots (ms since epoch). */
  schedulerSeen(job: string): Promise<number | undefined>;
  setSchedulerSeen(job: string, at: number): Promise<void>;
}

/** A whole store: run history plus a queue and dataset per run. */
export interface ScrapeStore {
  readonly runs: RunStore;
  queue(runId: number): RequestQueue;
  dataset(runId: number): Dataset;
  close(): Promise<void>;
}

/** Stats of a new run. */
export function emptyStats(): RunStats {
  return {
    done: 0,
    failed: 0,
    skipped: 0,
    pending: 0,
    records: 0,
    images: 0,
    retries: 0,
    elapsedS: 0,
    pagesPerMin: 0,
  };
}
