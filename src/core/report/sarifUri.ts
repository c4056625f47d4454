// SARIF wants a URI for each file (RFC 3986: spaces, `#`, `%` and non-ASCII percent-encoded).
// Files under the current folder get a relative reference, which code-scanning services resolve
// against the checkout; others an absolute `file:` URI. node:url does the encoding either way.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export function sarifUri(file: string, base = process.cwd()): string {
  const uri = pathToFileURL(path.resolve(base, file)).href;
  const prefix = pathToFileURL(path.join(path.resolve(base), path.sep)).href;
  return uri.startsWith(prefix) ? uri.slice(prefix.length) : uri;
}
