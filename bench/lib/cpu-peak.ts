/**
 * This machine's fp32 peak, cores × clock × FLOP per cycle, each detected or stated with where it
 * came from, so that every GFLOP/s figure can be printed as a share of it and a figure above it
 * flagged as a measurement bug rather than reported.
 *
 *   const peak = cpuPeak();
 *   peak.gflops;        // 236.8 on 2 Zen 4 cores at 3.7 GHz
 *   peak.description;   // '2 cores × 3.70 GHz (…) × 32 FLOP/cycle (…)'
 *   pctOfPeak(190, peak) // '80% of peak'
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface CpuPeak {
  /** /proc/cpuinfo's model name, family and model, so a figure says which CPU gave it. */
  cpu: string;
  cores: number;
  ghz: number;
  /** Where the clock came from (DLPIPE_CPU_GHZ, lscpu, cpufreq, a stated boost clock, /proc/cpuinfo). */
  clockSource: string;
  flopPerCycle: number;
  /** Why that many FLOP per cycle (ISA and FMA units). */
  flopSource: string;
  /** cores × ghz × flopPerCycle. */
  gflops: number;
  description: string;
}

/** Options of `cpuPeak` (for tests: fixed inputs instead of this machine's). */
export interface CpuPeakOptions {
  env?: NodeJS.ProcessEnv;
  cpuinfo?: string;
  cores?: number;
  lscpuMaxMhz?: number;
}

/** The first value of `key` in /proc/cpuinfo's text. */
function field(cpuinfo: string, key: string): string | undefined {
  const m = cpuinfo.match(new RegExp(`^${key}\\s*:\\s*(.*)$`, 'm'));
  return m?.[1]?.trim();
}

function lscpuMaxMhz(): number | undefined {
  const r = spawnSync('lscpu', [], { encoding: 'utf8', timeout: 5000 });
  const m = r.stdout?.match(/^CPU max MHz:\s*([\d.]+)/m);
  return m ? Number(m[1]) : undefined;
}

function cpufreqMaxMhz(): number | undefined {
  const path = '/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq';
  return existsSync(path) ? Number(readFileSync(path, 'utf8')) / 1000 : undefined;
}

/** A stated boost clock for CPUs that hide theirs (VMs): AMD family 25 model 0x10–0x1f is Zen 4 EPYC 9004. */
function statedBoost(cpuinfo: string): { ghz: number; source: string } | undefined {
  const vendor = field(cpuinfo, 'vendor_id');
  const family = Number(field(cpuinfo, 'cpu family'));
  const model = Number(field(cpuinfo, 'model'));
  if (vendor === 'AuthenticAMD' && family === 25 && model >= 0x10 && model <= 0x1f) {
    return { ghz: 3.7, source: 'stated: Zen 4 EPYC 9004 boost clock, 3.7 GHz' };
  }
  return undefined;
}

function clock(o: CpuPeakOptions, cpuinfo: string): { ghz: number; source: string } {
  const env = o.env ?? process.env;
  const stated = Number(env.DLPIPE_CPU_GHZ);
  if (stated > 0) return { ghz: stated, source: 'stated: DLPIPE_CPU_GHZ' };
  const lscpu = o.lscpuMaxMhz ?? (o.cpuinfo === undefined ? lscpuMaxMhz() : undefined);
  if (lscpu) return { ghz: lscpu / 1000, source: 'lscpu max MHz' };
  const freq = o.cpuinfo === undefined ? cpufreqMaxMhz() : undefined;
  if (freq) return { ghz: freq / 1000, source: 'cpufreq max' };
  const reported = Number(field(cpuinfo, 'cpu MHz')) / 1000;
  const boost = statedBoost(cpuinfo);
  if (boost) {
    const r = reported > 0 ? `; /proc/cpuinfo reports ${reported.toFixed(2)} GHz` : '';
    return { ghz: boost.ghz, source: `${boost.source}${r}` };
  }
  if (reported > 0) return { ghz: reported, source: '/proc/cpuinfo cpu MHz (may be below the boost clock)' };
  return { ghz: Number.NaN, source: 'unknown (set DLPIPE_CPU_GHZ)' };
}

/** fp32 FLOP per cycle per core from the CPU flags: vector lanes × 2 (FMA) × FMA units. */
function flops(cpuinfo: string): { n: number; source: string } {
  const flags = new Set((field(cpuinfo, 'flags') ?? '').split(/\s+/));
  const amd = field(cpuinfo, 'vendor_id') === 'AuthenticAMD';
  if (flags.has('avx512f') && amd) {
    return { n: 32, source: 'avx512f on AMD Zen 4: two 256-bit FMA pipes = 2 × 8 lanes × 2' };
  }
  if (flags.has('avx512f')) return { n: 64, source: 'avx512f: assumes two 512-bit FMA units = 2 × 16 × 2' };
  if (flags.has('avx2') && flags.has('fma')) return { n: 32, source: 'avx2 + fma: two 256-bit FMA units' };
  return { n: 8, source: 'sse: 4 lanes, add + multiply' };
}

export function cpuPeak(options: CpuPeakOptions = {}): CpuPeak {
  const cpuinfo =
    options.cpuinfo ?? (existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '');
  const cores = options.cores ?? availableParallelism();
  const c = clock(options, cpuinfo);
  const f = flops(cpuinfo);
  const gflops = cores * c.ghz * f.n;
  const cpu = `${field(cpuinfo, 'model name') ?? '?'} (family ${field(cpuinfo, 'cpu family') ?? '?'}, model ${field(cpuinfo, 'model') ?? '?'})`;
  const description =
    `${cpu}: ${cores} cores × ${c.ghz.toFixed(2)} GHz (${c.source}) × ${f.n} FLOP/cycle (${f.source}) ` +
    `= ${gflops.toFixed(0)} GFLOP/s fp32`;
  return {
    cpu,
    cores,
    ghz: c.ghz,
    clockSource: c.source,
    flopPerCycle: f.n,
    flopSource: f.source,
    gflops,
    description,
  };
}

/** `80% of peak`, or `ABOVE PEAK (167%)` for a figure this machine cannot reach. */
export function pctOfPeak(gflops: number, peak: CpuPeak): string {
  if (!Number.isFinite(peak.gflops)) return 'peak unknown';
  const pct = (100 * gflops) / peak.gflops;
  return gflops > peak.gflops ? `ABOVE PEAK (${pct.toFixed(0)}%)` : `${pct.toFixed(0)}% of peak`;
}

/** A warning line for a figure above the peak, or undefined. */
export function abovePeakWarning(what: string, gflops: number, peak: CpuPeak): string | undefined {
  if (!(gflops > peak.gflops)) return undefined;
  return (
    `WARNING: ${what} ${gflops.toFixed(1)} GFLOP/s is above this machine's peak ${peak.gflops.toFixed(0)} GFLOP/s ` +
    `(${peak.description}): the measurement or the peak is wrong (FLOP count, timing, thread count, clock)`
  );
}
