// The templates that read the same on every kernel, as a VS Code snippets file (also the format
// other editors' snippet engines read). Kernel-dependent templates come from the language server,
// which knows the kernel; a static file cannot.
import { newestApi } from '../kernelApi';
import { ALL_TEMPLATES } from './registry';
import { defaultContext } from './registry';

export interface SnippetEntry {
  prefix: string;
  body: string[];
  description: string;
}

export function staticSnippets(): Record<string, SnippetEntry> {
  const api = newestApi();
  const entries: Record<string, SnippetEntry> = {};
  for (const template of ALL_TEMPLATES.filter((candidate) => candidate.versionIndependent)) {
    entries[template.title] = {
      prefix: template.prefix,
      body: template.body(api, defaultContext('rust_module')).split('\n'),
      description: template.description,
    };
  }
  return entries;
}

export function staticSnippetsJson(): string {
  return `${JSON.stringify(staticSnippets(), null, 2)}\n`;
}
