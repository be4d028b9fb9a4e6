/**
 * The in-memory store: the same semantics as SQLite (de-duplication, atomic page commits,
 * release after a stop), nothing persisted. For tests and one-off crawls from code.
 *
 *   const store = new MemoryStore();
 *   const run = await store.runs.create({ job: 'test', trigger: 'api' });
 */
import { hostKey } from '../url/normalize-url.js';
import {
  type ClaimOptions,
  type CrawlRequest,
  type Dataset,
  type DatasetRecord,
  emptyStats,
  type ImageRecord,
  type NewRequest,
  type PageCommit,
  type QueueCounts,
  REQUEST_STATUSES,
  type RequestQueue,
  type RequestStatus,
  type RunInfo,
  type RunPatch,
  type RunStore,
  type ScrapeStore,
} from './types.js';

class MemoryDataset implements Dataset {
  readonly recordsByKey = new Map<string, DatasetRecord>();
  readonly imagesByKey = new Map<string, ImageRecord & { requestId: number }>();

  async count(): Promise<number> {
    return this.recordsByKey.size;
  }
  async *records(): AsyncIterable<DatasetRecord> {
    const all = [...this.recordsByKey.values()].sort(
      (a, b) => a.requestId - b.requestId || a.index - b.index,
    );
    yield* all;
  }
  async imageCount(): Promise<number> {
    return this.imagesByKey.size;
  }
  async *images(): AsyncIterable<ImageRecord & { requestId: number }> {
    yield* [...this.imagesByKey.values()].sort((a, b) => a.requestId - b.requestId || a.index - b.index);
  }
}

class MemoryQueue implements RequestQueue {
  private readonly byId = new Map<number, CrawlRequest>();
  private readonly keys = new Set<string>();
  private nextId = 1;

  constructor(private readonly dataset: MemoryDataset) {}

  async add(requests: readonly NewRequest[]): Promise<number> {
    let n = 0;
    for (const r of requests) {
      const uniqueKey = r.uniqueKey ?? r.url;
      if (this.keys.has(uniqueKey)) continue;
      this.keys.add(uniqueKey);
      const id = this.nextId++;
      this.byId.set(id, {
        id,
        url: r.url,
        uniqueKey,
        host: hostKey(r.url),
        depth: r.depth,
        priority: r.priority ?? 0,
        label: r.label,
        parentId: r.parentId,
        status: 'pending',
        attempts: 0,
        notBefore: 0,
        lastError: undefined,
        httpStatus: undefined,
        loadedUrl: undefined,
      });
      n++;
    }
    return n;
  }

  async claim(o: ClaimOptions): Promise<CrawlRequest[]> {
    const ready = [...this.byId.values()]
      .filter((r) => r.status === 'pending' && r.notBefore <= o.now)
      .sort((a, b) => b.priority - a.priority || a.id - b.id);
    const out: CrawlRequest[] = [];
    for (const r of ready) {
      if (out.length >= o.limit) break;
      if (!o.accept({ ...r })) continue;
      r.status = 'in_progress';
      out.push({ ...r });
    }
    return out;
  }

  async complete(id: number, commit: PageCommit): Promise<boolean> {
    const r = this.byId.get(id);
    if (r?.status !== 'in_progress') return false;
    r.status = 'done';
    r.lastError = undefined;
    r.httpStatus = commit.httpStatus;
    r.loadedUrl = commit.loadedUrl;
    commit.records.forEach((data, index) => {
      const key = `${id}:${index}`;
      if (!this.dataset.recordsByKey.has(key))
        this.dataset.recordsByKey.set(key, { requestId: id, index, data });
    });
    for (const img of commit.images) {
      const key = `${id}:${img.index}`;
      if (!this.dataset.imagesByKey.has(key)) this.dataset.imagesByKey.set(key, { ...img, requestId: id });
    }
    await this.add(commit.links.map((l) => ({ ...l, parentId: l.parentId ?? id })));
    return true;
  }

  private set(id: number, patch: Partial<CrawlRequest>): void {
    const r = this.byId.get(id);
    if (r) Object.assign(r, patch);
  }

  async retry(id: number, error: string, notBefore: number, httpStatus?: number): Promise<void> {
    const r = this.byId.get(id);
    if (r)
      this.set(id, { status: 'pending', attempts: r.attempts + 1, lastError: error, notBefore, httpStatus });
  }
  async fail(id: number, error: string, httpStatus?: number): Promise<void> {
    const r = this.byId.get(id);
    if (r) this.set(id, { status: 'failed', attempts: r.attempts + 1, lastError: error, httpStatus });
  }
  async skip(id: number, reason: string, httpStatus?: number): Promise<void> {
    this.set(id, { status: 'skipped', lastError: reason, httpStatus });
  }
  async release(): Promise<number> {
    let n = 0;
    for (const r of this.byId.values()) {
      if (r.status === 'in_progress') {
        r.status = 'pending';
        n++;
      }
    }
    return n;
  }
  async counts(): Promise<QueueCounts> {
    const c = Object.fromEntries(REQUEST_STATUSES.map((s) => [s, 0])) as QueueCounts;
    for (const r of this.byId.values()) c[r.status]++;
    return c;
  }
  async nextNotBefore(): Promise<number | undefined> {
    let t: number | undefined;
    for (const r of this.byId.values())
      if (r.status === 'pending') t = Math.min(t ?? r.notBefore, r.notBefore);
    return t;
  }
  async list(status: RequestStatus, limit: number): Promise<CrawlRequest[]> {
    return [...this.byId.values()].filter((r) => r.status === status).slice(0, limit);
  }
}

class MemoryRuns implements RunStore {
  private readonly runs = new Map<number, RunInfo>();
  private readonly seen = new Map<string, number>();
  private nextId = 1;

  async create(run: { job: string; trigger: string; configHash?: string }): Promise<RunInfo> {
    const info: RunInfo = {
      id: this.nextId++,
      job: run.job,
      trigger: run.trigger,
      status: 'running',
      startedAt: Date.now(),
      finishedAt: undefined,
      pid: process.pid,
      heartbeatAt: Date.now(),
      stats: emptyStats(),
      error: undefined,
      configHash: run.configHash,
      sessions: 1,
    };
    this.runs.set(info.id, info);
    return { ...info };
  }
  async get(id: number): Promise<RunInfo | undefined> {
    const r = this.runs.get(id);
    return r && { ...r };
  }
  async latest(job: string): Promise<RunInfo | undefined> {
    return (await this.list({ job, limit: 1 }))[0];
  }
  async list(options: { job?: string; limit?: number } = {}): Promise<RunInfo[]> {
    return [...this.runs.values()]
      .filter((r) => options.job === undefined || r.job === options.job)
      .sort((a, b) => b.id - a.id)
      .slice(0, options.limit ?? Number.POSITIVE_INFINITY)
      .map((r) => ({ ...r }));
  }
  async update(id: number, patch: RunPatch): Promise<void> {
    const r = this.runs.get(id);
    if (r) Object.assign(r, patch);
  }
  async schedulerSeen(job: string): Promise<number | undefined> {
    return this.seen.get(job);
  }
  async setSchedulerSeen(job: string, at: number): Promise<void> {
    this.seen.set(job, at);
  }
}

/** Queue, dataset and run history in memory. */
export class MemoryStore implements ScrapeStore {
  readonly runs: RunStore = new MemoryRuns();
  private readonly queues = new Map<number, MemoryQueue>();
  private readonly datasets = new Map<number, MemoryDataset>();

  dataset(runId: number): MemoryDataset {
    let d = this.datasets.get(runId);
    if (!d) {
      d = new MemoryDataset();
      this.datasets.set(runId, d);
    }
    return d;
  }
  queue(runId: number): RequestQueue {
    let q = this.queues.get(runId);
    if (!q) {
      q = new MemoryQueue(this.dataset(runId));
      this.queues.set(runId, q);
    }
    return q;
  }
  async close(): Promise<void> {}
}
