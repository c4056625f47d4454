// Templates as completions, written for the kernel the workspace builds against: whole-module
// templates at the top level of a file, log lines and SAFETY/INVARIANT/CAST comments inside
// functions, a mutex field inside a struct, its initialiser inside pin_init!/try_pin_init!.
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Position } from 'vscode-languageserver';
import { describeApi, type KernelApi } from '../core/authoring/kernelApi';
import { moduleNameFromFile } from '../core/authoring/moduleCode';
import { availableTemplates, defaultContext, type Template, type TemplateScope } from '../core/authoring/templates/registry';
import { snippetToPlainText } from '../core/authoring/templates/snippetText';
import type { SyntaxNode } from '../core/parse/rustParser';
import { fileNameOf, type OpenDocument } from './documentStore';

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

function completionItem(template: Template, api: KernelApi, fileName: string): CompletionItem {
  const moduleName = moduleNameFromFile(fileName, 'RustModule');
  const body = template.body(api, defaultContext(moduleName));
  const preview = snippetToPlainText(body);
  return {
    label: template.prefix,
    kind: CompletionItemKind.Snippet,
    detail: `${template.title} — ${describeApi(api)}`,
    documentation: { kind: MarkupKind.Markdown, value: `${template.description}.\n\n\`\`\`rust\n${preview}\n\`\`\`` },
    insertText: body,
    insertTextFormat: InsertTextFormat.Snippet,
    filterText: template.prefix,
    sortText: `0-${template.prefix}`,
    data: { template: template.id },
  };
}

export function completions(entry: OpenDocument, position: Position, api: KernelApi, clientHasStaticSnippets: boolean): CompletionItem[] {
  const scopes = scopesAt(entry.tree?.rootNode, entry.document.offsetAt(position));
  const fileName = fileNameOf(entry.document);
  return availableTemplates(api)
    .filter((template) => scopes.includes(template.scope))
    .filter((template) => !(clientHasStaticSnippets && template.versionIndependent))
    .map((template) => completionItem(template, api, fileName));
}
