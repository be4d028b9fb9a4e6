/**
 * The OS process of a browser we launched, found by a unique switch on its command line (Linux
 * /proc), so a hung browser can be killed when its protocol no longer answers.
 *
 *   const pid = findBrowserPid('--dlpipe-pool=123-abc'); if (pid) killPid(pid);
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The pid of the main browser process launched with the switch `marker` (not its renderers), if any. */
export function findBrowserPid(marker: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const args = cmdline.split('\0');
    if (args.some((a) => a.startsWith('--type='))) continue;
    if (args.includes(marker)) return Number(name);
  }
  return undefined;
}

/** Sends SIGKILL to a pid, ignoring one that is already gone. */
export function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
