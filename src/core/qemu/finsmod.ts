// A tiny static loader for the guest that calls finit_module(2) exactly once and prints the errno.
// busybox insmod retries a failed finit_module with init_module, so a failing module's init runs
// twice and its log lines appear twice. Freestanding C (raw syscalls, no libc), so any clang or gcc
// builds it without a static libc; it is compiled once per source version and cached.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeCommand, describeOutcome } from '../process/describe';
import { runProcess } from '../process/runProcess';

export const FINSMOD_SOURCE = String.raw`/* finsmod FILE.ko [PARAMS]: one finit_module(2) call; prints "@@rfl:errno errno=N" on failure. */
static long sys3(long n, long a, long b, long c)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return r;
}
static unsigned long len(const char *s) { unsigned long n = 0; while (s[n]) n++; return n; }
static void put(const char *s) { sys3(1, 1, (long)s, (long)len(s)); }
static void putnum(long n)
{
	char b[24]; int i = 23; b[i] = 0;
	do { b[--i] = (char)('0' + n % 10); n /= 10; } while (n && i > 0);
	put(b + i);
}
__attribute__((noreturn)) static void quit(long code) { for (;;) sys3(60, code, 0, 0); }
__attribute__((noreturn, used)) void rfl_start(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	if (argc < 2) { put("usage: finsmod FILE.ko [PARAMS]\n"); quit(2); }
	long fd = sys3(2, (long)argv[1], 0x80000 /* O_RDONLY|O_CLOEXEC */, 0);
	if (fd < 0) { put("@@rfl:errno errno="); putnum(-fd); put(" what=open\n"); quit(-fd); }
	long r = sys3(313 /* finit_module */, fd, (long)(argc > 2 ? argv[2] : ""), 0);
	if (r < 0) { put("@@rfl:errno errno="); putnum(-r); put(" what=finit_module\n"); quit(-r); }
	quit(0);
}
__asm__(".globl _start\n_start:\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n\tcall rfl_start\n\thlt\n");
`;

/** Compiles finsmod into toolsDir (once) and returns its path. */
export async function ensureFinsmod(toolsDir: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256').update(FINSMOD_SOURCE).digest('hex').slice(0, 12);
  const binary = path.join(toolsDir, `finsmod-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(toolsDir, { recursive: true });
  const source = path.join(toolsDir, `finsmod-${hash}.c`);
  writeFileSync(source, FINSMOD_SOURCE);
  const temporary = `${binary}.${process.pid}.tmp`;
  const flags = [
    '-static',
    '-nostdlib',
    '-ffreestanding',
    '-fno-stack-protector',
    '-fno-builtin',
    '-fno-pie',
    '-no-pie',
    '-O2',
    '-o',
    temporary,
    source,
  ];
  const failures: string[] = [];
  for (const compiler of ['clang', 'cc', 'gcc']) {
    try {
      const result = await runProcess(compiler, flags, { cwd: toolsDir, timeoutMs: 60_000, signal });
      if (result.exitCode === 0) {
        renameSync(temporary, binary);
        return binary;
      }
      failures.push(`${describeCommand(compiler, flags)}: ${describeOutcome(result, 60_000)}\n${result.tail}`);
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  throw new Error(`could not compile the guest loader finsmod (needs clang or gcc for x86-64):\n${failures.join('\n')}`);
}
