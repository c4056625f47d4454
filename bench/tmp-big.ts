import { SafetyLinter } from '../src/core/safety/safetyLinter';
const unit = `fn f${'$'}(p: *const u8) -> u8 {\n    // SAFETY: fine.\n    let x = unsafe { *p };\n    unsafe { *p }\n}\n`;
let s = ''; let i = 0; while (s.length < 10_000_000) { s += unit.replace('$', String(i++)); }
(async () => { const l = await SafetyLinter.create(); const t = Date.now(); const r = l.lint(s); console.log(s.length, 'bytes', Date.now() - t, 'ms', r.findings.length, 'findings', process.memoryUsage().rss/1e6|0, 'MB');
const deep = '('.repeat(100000) + ')'.repeat(100000); const t2 = Date.now(); const r2 = l.lint('fn f() { let x = ' + deep + '; }'); console.log('deep', Date.now()-t2, r2.findings.length);
})();
