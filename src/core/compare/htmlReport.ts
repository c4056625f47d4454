// The compare report as one self-contained HTML page: verdict, behaviour (with the first
// difference as a diff), the timing table, and the charts as inline SVG. No script, no external
// file or font; a Content-Security-Policy that allows only its own inline style (by nonce in a
// VS Code webview).
import { formatInterval, sideLabel, type CompareReport } from './report';
import { COLOURS, escapeXml, ratioChart, roundsChart } from './svgChart';

export interface HtmlOptions {
  /** For a webview: the nonce its CSP allows for the <style> element. */
  nonce?: string;
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export function renderHtml(report: CompareReport, options: HtmlOptions = {}): string {
  const styleSource = options.nonce ? `'nonce-${options.nonce}'` : "'unsafe-inline'";
  const csp = `default-src 'none'; style-src ${styleSource}; img-src data:`;
  const e = escapeXml;
  const verdictClass = report.ok ? 'ok' : 'bad';
  const sideRows = (['a', 'b'] as const)
    .map((side) => {
      const summary = report[side];
      const failures = summary.failures.length
        ? `<ul>${summary.failures.map((failure) => `<li>${e(failure)}</li>`).join('')}</ul>`
        : 'clean';
      return `<tr><th scope="row">${sideLabel(side)}</th><td><code>${e(summary.module)}</code></td><td><code>${e(summary.dir)}</code></td><td class="${summary.failures.length ? 'bad' : 'ok'}">${failures}</td></tr>`;
    })
    .join('');
  const difference = report.behaviour.difference;
  const behaviour = report.behaviour.same
    ? `<p class="ok">Same behaviour in all ${report.behaviour.roundsCompared} rounds (workload output and exit status, the module's kernel log, insmod and rmmod; the module name normalised to MODULE).</p>`
    : difference
      ? `<p class="bad">Different from round ${difference.round} on (A's lines <span class="minus">-</span>, B's <span class="plus">+</span>):</p><pre class="diff">${difference.diff
          .split('\n')
          .map((line) => `<span class="${line.startsWith('-') ? 'minus' : line.startsWith('+') ? 'plus' : 'same'}">${e(line)}</span>`)
          .join('\n')}</pre>`
      : '<p class="bad">Behaviour could not be compared: no round finished on both sides.</p>';
  const table = report.timings.length
    ? `<table class="timings"><thead><tr><th scope="col">operation</th><th scope="col">A median (ns)</th><th scope="col">B median (ns)</th><th scope="col">B/A</th><th scope="col">95 % interval</th><th scope="col">samples A/B</th></tr></thead><tbody>${report.timings
        .map(
          (timing) =>
            `<tr><td><code>${e(timing.name)}</code></td><td>${fixed(timing.a.median, 1)}</td><td>${fixed(timing.b.median, 1)}</td><td>${fixed(timing.ratio, 3)}</td><td>${e(formatInterval(timing))}</td><td>${timing.a.samples}/${timing.b.samples}</td></tr>`,
        )
        .join(
          '',
        )}</tbody></table><p class="note">Interval: ${e(report.intervalMethod)}. Times are per operation inside a QEMU guest${report.accel ? ` (${report.accel.toUpperCase()})` : ''}: only the ratio means anything, since both modules ran alternately in the same VM.</p>`
    : '<p>The workload printed no timings (<code>rfl-bench</code> lines).</p>';
  const charts = report.timings.length
    ? `<div class="charts"><figure>${ratioChart(report.timings)}</figure>${report.timings.map((timing) => `<figure>${roundsChart(timing)}</figure>`).join('')}</div>`
    : '';
  const problems = report.runProblems.length
    ? `<ul class="bad">${report.runProblems.map((problem) => `<li>${e(problem)}</li>`).join('')}</ul>`
    : '';
  const tail = report.consoleTail?.length ? `<h2>Console (last lines)</h2><pre>${e(report.consoleTail.join('\n'))}</pre>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rfl compare: ${e(report.a.module)} vs ${e(report.b.module)}</title>
<style${options.nonce ? ` nonce="${e(options.nonce)}"` : ''}>
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; background: #fff; max-width: 72em; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; margin-top: 1.5em; }
.ok { color: #1a7f37; } .bad { color: #b42318; }
.verdict { font-weight: 600; padding: 0.5em 0.8em; border-left: 4px solid currentColor; background: #f6f8fa; }
table { border-collapse: collapse; } th, td { border: 1px solid #d0d7de; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
table.timings td { text-align: right; } table.timings td:first-child { text-align: left; }
pre { background: #f6f8fa; padding: 0.6em; overflow-x: auto; }
.minus { color: #b42318; } .plus { color: #1a7f37; } .same { color: #555; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; } figure { margin: 0; }
.note { color: #555; font-size: 0.9em; }
.a { color: ${COLOURS.a}; } .b { color: ${COLOURS.b}; }
</style>
</head>
<body>
<h1>rfl compare: <span class="a">A ${e(report.a.module)}</span> vs <span class="b">B ${e(report.b.module)}</span></h1>
<p class="verdict ${verdictClass}">${e(report.verdict)}</p>
${problems}
<table><thead><tr><td></td><th scope="col">module</th><th scope="col">folder</th><th scope="col">load, workload, unload</th></tr></thead><tbody>${sideRows}</tbody></table>
<p class="note">${report.rounds.completed} of ${report.rounds.requested} rounds${report.kernelRelease ? ` on Linux ${e(report.kernelRelease)}` : ''}, in this order: <code>${e(report.order.join(' '))}</code>. ${report.accelNote ? e(report.accelNote) : ''}</p>
<h2>Behaviour</h2>
${behaviour}
<h2>Speed</h2>
${table}
${charts}
<h2>Kernel tracing</h2>
<p>${e(report.ftrace.note)}</p>
${tail}
</body>
</html>
`;
}
