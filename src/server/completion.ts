// Templates as completions, written for the kernel the workspace builds against: whole-module
// templates at the top level of a file, log lines and SAFETY/INVARIANT/CAST comments inside
// functions, a mutex field inside a struct, its initialiser inside pin_init!/try_pin_init!.
// Snippets (`${1:name}` placeholders) only for clients that take them, else the plain text; the
// preview in the client's documentation format.
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver/node';
import { describeApi, type KernelApi } from '../core/authoring/kernelApi';
import { moduleNameFromFile } from '../core/authoring/moduleCode';
import { availableTemplates, defaultContext, type Template, type TemplateScope } from '../core/authoring/templates/registry';
import { snippetToPlainText } from '../core/authoring/templates/snippetText';
import type { SyntaxNode } from '../core/parse/rustParser';
import type { ClientFeatures } from './clientFeatures';

/** The template scopes that fit where the cursor is. */
export function scopesAt(root: SyntaxNode | undefined, offset: number): TemplateScope[] {
  // The node just before the cursor: the cursor usually sits at the end of a partly typed word.
  let node: SyntaxNode | null | undefined = root?.descendantForIndex(Math.max(0, offset - 1), Math.max(0, offset - 1));
  for (; node; node = node.parent) {
    switch (node.type) {
      case 'line_comment':
      case 'block_comment':
      case 'string_literal':
        return [];
      case 'field_declaration_list':
        return ['field'];
      case 'token_tree':
      case 'macro_invocation': {
        const invocation = node.type === 'macro_invocation' ? node : node.parent?.type === 'macro_invocation' ? node.parent : undefined;
        if (invocation && /^(?:try_)?pin_init!/.test(invocation.text)) return ['initializer'];
        break;
      }
      case 'block':
        return ['statement', 'comment'];
      case 'declaration_list':
        return ['comment'];
      case 'source_file':
        return ['file', 'comment'];
      default:
        break;
    }
  }
  return ['file', 'comment'];
}

function completionItem(template: Template, api: KernelApi, fileName: string, client: ClientFeatures): CompletionItem {
  const moduleName = moduleNameFromFile(fileName, 'RustModule');
  const body = template.body(api, defaultContext(moduleName));
  const preview = snippetToPlainText(body);
  const documentation =
    client.completionDocumentation === MarkupKind.Markdown
      ? { kind: MarkupKind.Markdown, value: `${template.description}.\n\n\`\`\`rust\n${preview}\n\`\`\`` }
      : { kind: MarkupKind.PlainText, value: `${template.description}.\n\n${preview}` };
  return {
    label: template.prefix,
    kind: CompletionItemKind.Snippet,
    detail: `${template.title} — ${describeApi(api)}`,
    documentation,
    insertText: client.snippets ? body : preview,
    insertTextFormat: client.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    filterText: template.prefix,
    sortText: `0-${template.prefix}`,
    data: { template: template.id },
  };
}

/** The templates that fit at `offset` of a document (`root`: its syntax tree, when it has one). */
export function completions(
  root: SyntaxNode | undefined,
  offset: number,
  fileName: string,
  api: KernelApi,
  client: ClientFeatures,
): CompletionItem[] {
  const scopes = scopesAt(root, offset);
  return availableTemplates(api)
    .filter((template) => scopes.includes(template.scope))
    .filter((template) => !(client.hasStaticSnippets && template.versionIndependent))
    .map((template) => completionItem(template, api, fileName, client));
}
