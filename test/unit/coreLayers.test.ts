// The folders of src/core form layers: each may import folders below it, never one that imports
// it back (directly or through others). A cycle means neither side can be understood, tested or
// moved alone; issue 12 untangled kbuild <-> kernel this way. This test reads the real imports.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const CORE = path.resolve(__dirname, '../../src/core');

/** Every .ts file under `dir`, recursively. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

/** The relative module specifiers a file imports or re-exports (static and dynamic). */
function importedSpecifiers(source: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"](\.[^'"]*)['"]/g;
  return [...source.matchAll(pattern)].map((match) => match[1]);
}

/** folder -> the other folders of src/core it imports from. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of tsFiles(CORE)) {
    const from = path.relative(CORE, file).split(path.sep)[0];
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const specifier of importedSpecifiers(readFileSync(file, 'utf8'))) {
      const target = path.relative(CORE, path.resolve(path.dirname(file), specifier));
      const to = target.split(path.sep)[0];
      if (!target.startsWith('..') && to !== from) edges.add(to);
    }
  }
  return graph;
}

/** One cycle per strongly connected group of two or more folders (Tarjan), as a path a -> b -> a. */
function findCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return groups.map((group) => cycleWithin(graph, new Set(group)));
}

/** A concrete cycle through the members of one strongly connected group, for the message. */
function cycleWithin(graph: ReadonlyMap<string, ReadonlySet<string>>, members: ReadonlySet<string>): string[] {
  const start = [...members].sort()[0];
  const seen = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const cycle = [start];
        for (let at = node; at !== start; at = seen.get(at)!) cycle.splice(1, 0, at);
        return [...cycle, start];
      }
      if (!seen.has(next)) {
        seen.set(next, node);
        queue.push(next);
      }
    }
  }
  return [...members];
}

describe('src/core layering', () => {
  it('finds a cycle when one is there (the check can fail)', () => {
    const graph = new Map([
      ['kbuild', new Set(['kernel', 'process'])],
      ['kernel', new Set(['toolchain', 'kbuild'])],
      ['process', new Set<string>()],
      ['toolchain', new Set<string>()],
    ]);
    assert.deepEqual(findCycles(graph), [['kbuild', 'kernel', 'kbuild']]);
    graph.get('kernel')!.delete('kbuild');
    assert.deepEqual(findCycles(graph), []);
  });

  it('reads the imports of the real tree', () => {
    const graph = folderGraph();
    assert.ok(graph.get('qemu')?.has('process'), 'qemu runs programs through src/core/process');
    assert.ok(graph.get('kbuild')?.has('toolchain'));
  });

  it('has no folder of src/core importing one that imports it back', () => {
    const cycles = findCycles(folderGraph());
    assert.deepEqual(
      cycles.map((cycle) => cycle.join(' -> ')),
      [],
      'these folders import each other; move the shared part into a folder below both',
    );
  });

  it('keeps src/core/process at the bottom: it imports no other folder of src/core', () => {
    assert.deepEqual([...(folderGraph().get('process') ?? [])], []);
  });
});
