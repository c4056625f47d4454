// Whether to try KVM. /dev/kvm can exist and still not boot a guest (nested virtualisation here:
// the default CPU hangs after "Booting from ROM", `-cpu host` aborts), so KVM is only trusted once it
// has printed a kernel banner, and a failure is remembered for a day so that every later `auto`
// run does not pay the few seconds of the probe again.
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readJsonFile } from '../schema/jsonSchema';
import type { Accel } from './qemuArgs';

/** The values of `--accel`, the `accel` task field and `rustForLinux.load.accel` (package.json repeats them as enums; a test keeps them equal). */
export const ACCEL_CHOICES = ['auto', 'kvm', 'tcg'] as const satisfies readonly (Accel | 'auto')[];
export type AccelChoice = (typeof ACCEL_CHOICES)[number];

export const KVM_FAILURE_MEMORY_MS = 24 * 60 * 60_000;
/** A TCG boot prints its banner in under 1 s here; KVM that has said nothing after this is hung. */
export const DEFAULT_KVM_PROBE_MS = 5000;

export interface AccelPlan {
  first: Accel;
  /** Try TCG when KVM prints no banner in time. */
  fallBackToTcg: boolean;
  note?: string;
}

function kvmAccessible(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

interface KvmMemory {
  hostRelease: string;
  failedAt: number;
  reason: string;
}

function memoryFile(stateDir: string): string {
  return path.join(stateDir, 'kvm-failure.json');
}

const KVM_MEMORY_SCHEMA = {
  type: 'object',
  required: ['hostRelease', 'failedAt', 'reason'],
  properties: { hostRelease: { type: 'string' }, failedAt: { type: 'number' }, reason: { type: 'string' } },
};

function rememberedFailure(stateDir: string): KvmMemory | undefined {
  const memory = readJsonFile<KvmMemory>(memoryFile(stateDir), KVM_MEMORY_SCHEMA);
  return memory && memory.hostRelease === os.release() && Date.now() - memory.failedAt < KVM_FAILURE_MEMORY_MS ? memory : undefined;
}

export function rememberKvmFailure(stateDir: string, reason: string): void {
  mkdirSync(stateDir, { recursive: true });
  const memory: KvmMemory = { hostRelease: os.release(), failedAt: Date.now(), reason };
  writeFileSync(memoryFile(stateDir), `${JSON.stringify(memory)}\n`);
}

export function planAccel(choice: AccelChoice, stateDir: string): AccelPlan {
  if (choice === 'tcg') return { first: 'tcg', fallBackToTcg: false };
  if (choice === 'kvm') return { first: 'kvm', fallBackToTcg: false };
  if (!kvmAccessible())
    return { first: 'tcg', fallBackToTcg: false, note: 'KVM not available (/dev/kvm missing or not accessible); using TCG' };
  const failure = rememberedFailure(stateDir);
  if (failure) {
    return {
      first: 'tcg',
      fallBackToTcg: false,
      note: `using TCG: KVM did not boot on this host at ${new Date(failure.failedAt).toISOString()} (${failure.reason}); --accel kvm tries it again`,
    };
  }
  return { first: 'kvm', fallBackToTcg: true };
}
