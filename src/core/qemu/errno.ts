// errno numbers to names (EINVAL...), from Node's own table of the host's values; x86-64 guests
// use the same numbers as an x86-64 Linux host.
import os from 'node:os';

const NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(os.constants.errno)) {
  // Where two names share a number (EAGAIN/EWOULDBLOCK), keep the first, the usual one.
  if (!NAMES.has(value)) NAMES.set(value, name);
}

export function errnoName(errno: number): string | undefined {
  return NAMES.get(errno);
}
