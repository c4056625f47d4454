// Signals for whole process groups. Every program we start leads a group of its own (spawn with
// `detached: true`), so one kill(-pgid) reaches what it started too: make's compilers, QEMU's
// helpers. The leader's exit says nothing about the group: make can exit while a compiler it
// started still runs and holds our pipe, so these functions ask the kernel, never the ChildProcess.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Sends `signal` to every process of group `pgid`; false when the group has no process left.
 * Linux does not hand out a pid that is still some group's id, so the group cannot be a stranger's
 * while one of its members lives.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    // ESRCH: nobody left. EPERM: only processes that changed user are left; we cannot stop them.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The running (not zombie) processes of group `pgid`, from /proc. A zombie has stopped: it only
 * waits for its parent, which for an orphan is PID 1, and some PID 1s of containers reap slowly.
 */
export function groupMembers(pgid: number): number[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(entry));
  }
  return members;
}

/** True while some process of group `pgid` still runs. */
export function groupAlive(pgid: number): boolean {
  const members = groupMembers(pgid);
  return members === undefined ? signalGroup(pgid, 0) : members.length > 0;
}

const POLL_MS = 25;

/**
 * SIGTERM to the group, then SIGKILL to whatever is left after `graceMs`; resolves once the group is
 * empty (or, when processes outside our power remain, shortly after the SIGKILL).
 */
export async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await delay(POLL_MS);
    if (!groupAlive(pgid)) return;
  }
  signalGroup(pgid, 'SIGKILL');
  // SIGKILL cannot be caught, but reaping takes a moment; give it a bounded one.
  for (let i = 0; i < 40 && groupAlive(pgid); i++) await delay(POLL_MS);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
