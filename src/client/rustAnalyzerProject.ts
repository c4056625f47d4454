// How the rust-project.json that `make M=DIR rust-analyzer` writes is added to rust-analyzer's
// `rust-analyzer.linkedProjects` setting: existing entries (paths or inline project objects) are
// kept, the new one is added once. No `vscode` import.
import path from 'node:path';

export type LinkedProject = string | Record<string, unknown>;

/** The entry to add: relative to the folder in a single-folder workspace (portable), else absolute. */
export function linkedProjectEntry(projectFile: string, workspaceFolder: string, multiRoot: boolean): string {
  const relative = path.relative(workspaceFolder, projectFile);
  if (multiRoot || relative.startsWith('..') || path.isAbsolute(relative)) return projectFile;
  return relative.split(path.sep).join('/');
}

/** The new setting value, or undefined when the entry is there already (as written or as a path). */
export function mergeLinkedProjects(existing: unknown, entry: string, workspaceFolder: string): LinkedProject[] | undefined {
  const current: LinkedProject[] = Array.isArray(existing)
    ? existing.filter(
        (item): item is LinkedProject => typeof item === 'string' || (typeof item === 'object' && item !== null && !Array.isArray(item)),
      )
    : [];
  const target = path.resolve(workspaceFolder, entry);
  const present = current.some((item) => typeof item === 'string' && path.resolve(workspaceFolder, item) === target);
  return present ? undefined : [...current, entry];
}
