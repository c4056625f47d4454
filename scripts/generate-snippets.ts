// Writes snippets/rust-for-linux.json from the template registry (npm run snippets). A unit test
// fails when the file and the registry disagree, so the two cannot drift apart.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { staticSnippetsJson } from '../src/core/authoring/templates/staticSnippets';

const target = path.join(__dirname, '..', 'snippets', 'rust-for-linux.json');
writeFileSync(target, staticSnippetsJson());
console.log(`wrote ${target}`);
