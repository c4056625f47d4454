import { Parser, Language } from 'web-tree-sitter';
await Parser.init();
const lang = await Language.load('node_modules/tree-sitter-rust/tree-sitter-rust.wasm');
const p = new Parser(); p.setLanguage(lang);
const src = process.argv[2];
const t = p.parse(src);
function dump(n, d=0){ console.log(' '.repeat(d*2)+(n.isNamed?n.type:JSON.stringify(n.type))+' '+n.startPosition.row+':'+n.startPosition.column+'-'+n.endPosition.row+':'+n.endPosition.column+(n.childCount==0&&n.isNamed?' '+JSON.stringify(n.text):'')); for(const c of n.children) dump(c,d+1);}
dump(t.rootNode);
