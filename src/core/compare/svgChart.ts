// Inline SVG charts for the compare report, drawn by hand (no script, no external file): the time
// per operation of A and B round by round, and the ratio B/A of each operation with its 95 %
// interval against the line of equal speed. Presentation attributes only (no style="…"), so a
// strict Content-Security-Policy lets them through.
import type { TimingComparison } from './report';

export const COLOURS = { a: '#1f77b4', b: '#d95f02', grid: '#c8c8c8', text: '#333333', equal: '#555555' } as const;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Per-round ns/op of A and B for one operation: dots per sample, a line through each round's median. */
export function roundsChart(timing: TimingComparison, width = 480, height = 220): string {
  const margin = { left: 64, right: 16, top: 28, bottom: 36 };
  const all = [...timing.a.values, ...timing.b.values];
  const rounds = [...new Set(all.map((value) => value.round))].sort((x, y) => x - y);
  const maxNs = Math.max(...all.map((value) => value.ns)) * 1.1 || 1;
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const slot = plotW / Math.max(1, rounds.length);
  const x = (round: number, side: 'a' | 'b') => margin.left + slot * (rounds.indexOf(round) + (side === 'a' ? 0.35 : 0.65));
  const y = (ns: number) => margin.top + plotH - (ns / maxNs) * plotH;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(`${timing.name}: ns per operation per round, A and B`)}">`,
  );
  parts.push(
    `<text x="${margin.left}" y="16" font-size="13" fill="${COLOURS.text}">${escapeXml(timing.name)}: ns per operation, by round</text>`,
  );
  for (let i = 0; i <= 4; i++) {
    const ns = (maxNs * i) / 4;
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${round1(y(ns))}" y2="${round1(y(ns))}" stroke="${COLOURS.grid}" stroke-width="0.5"/>`,
    );
    parts.push(
      `<text x="${margin.left - 6}" y="${round1(y(ns) + 4)}" font-size="10" text-anchor="end" fill="${COLOURS.text}">${Math.round(ns)}</text>`,
    );
  }
  for (const round of rounds)
    parts.push(
      `<text x="${round1(margin.left + slot * (rounds.indexOf(round) + 0.5))}" y="${height - 18}" font-size="10" text-anchor="middle" fill="${COLOURS.text}">${round}</text>`,
    );
  parts.push(
    `<text x="${margin.left + plotW / 2}" y="${height - 4}" font-size="10" text-anchor="middle" fill="${COLOURS.text}">round (A then B in each)</text>`,
  );
  for (const side of ['a', 'b'] as const) {
    const values = timing[side].values;
    const medians = rounds
      .map((round) => {
        const own = values
          .filter((value) => value.round === round)
          .map((value) => value.ns)
          .sort((p, q) => p - q);
        return own.length ? `${round1(x(round, side))},${round1(y(own[Math.floor(own.length / 2)] ?? 0))}` : undefined;
      })
      .filter(Boolean);
    if (medians.length > 1)
      parts.push(`<polyline points="${medians.join(' ')}" fill="none" stroke="${COLOURS[side]}" stroke-width="1.5"/>`);
    for (const value of values) {
      const cx = round1(x(value.round, side));
      const cy = round1(y(value.ns));
      parts.push(
        side === 'a'
          ? `<circle class="sample-a" cx="${cx}" cy="${cy}" r="3" fill="${COLOURS.a}"><title>A round ${value.round}: ${value.ns} ns</title></circle>`
          : `<rect class="sample-b" x="${round1(cx - 3)}" y="${round1(cy - 3)}" width="6" height="6" fill="${COLOURS.b}"><title>B round ${value.round}: ${value.ns} ns</title></rect>`,
      );
    }
  }
  parts.push(
    `<circle cx="${width - 150}" cy="12" r="4" fill="${COLOURS.a}"/><text x="${width - 142}" y="16" font-size="11" fill="${COLOURS.text}">A</text>`,
  );
  parts.push(
    `<rect x="${width - 110}" y="8" width="8" height="8" fill="${COLOURS.b}"/><text x="${width - 98}" y="16" font-size="11" fill="${COLOURS.text}">B</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

/** One row per operation: the ratio B/A as a dot, its 95 % interval as a bar, and the line at 1. */
export function ratioChart(timings: readonly TimingComparison[], width = 480): string {
  const rowH = 26;
  const margin = { left: 120, right: 70, top: 30, bottom: 30 };
  const height = margin.top + margin.bottom + rowH * timings.length;
  const values = timings.flatMap((timing) => [timing.ratio, ...(timing.ci95 ?? [])]).filter(Number.isFinite);
  const low = Math.min(0.9, ...values) * 0.95;
  const high = Math.max(1.1, ...values) * 1.05;
  const plotW = width - margin.left - margin.right;
  const x = (ratio: number) => margin.left + ((ratio - low) / (high - low)) * plotW;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="ratio B/A per operation with 95 % intervals">`,
  );
  parts.push(`<text x="${margin.left}" y="16" font-size="13" fill="${COLOURS.text}">B/A time per operation (below 1: B is faster)</text>`);
  const one = round1(x(1));
  parts.push(
    `<line class="equal-speed" x1="${one}" x2="${one}" y1="${margin.top - 6}" y2="${height - margin.bottom + 6}" stroke="${COLOURS.equal}" stroke-dasharray="4 3"/>`,
  );
  parts.push(`<text x="${one}" y="${height - 8}" font-size="10" text-anchor="middle" fill="${COLOURS.text}">1.0</text>`);
  for (const [tick, label] of [
    [low, low.toFixed(2)],
    [high, high.toFixed(2)],
  ] as const) {
    parts.push(`<text x="${round1(x(tick))}" y="${height - 8}" font-size="10" text-anchor="middle" fill="${COLOURS.text}">${label}</text>`);
  }
  timings.forEach((timing, index) => {
    const cy = margin.top + rowH * index + rowH / 2;
    parts.push(
      `<text x="${margin.left - 8}" y="${cy + 4}" font-size="11" text-anchor="end" fill="${COLOURS.text}">${escapeXml(timing.name)}</text>`,
    );
    if (timing.ci95) {
      const [lo, hi] = timing.ci95;
      parts.push(
        `<line class="interval" x1="${round1(x(lo))}" x2="${round1(x(hi))}" y1="${cy}" y2="${cy}" stroke="${COLOURS.b}" stroke-width="4" stroke-linecap="round" opacity="0.45"/>`,
      );
    }
    if (Number.isFinite(timing.ratio)) {
      parts.push(
        `<circle class="ratio" cx="${round1(x(timing.ratio))}" cy="${cy}" r="4.5" fill="${COLOURS.b}"><title>${escapeXml(timing.name)}: ${timing.ratio.toFixed(3)}${timing.ci95 ? ` [${timing.ci95[0].toFixed(3)}, ${timing.ci95[1].toFixed(3)}]` : ''}</title></circle>`,
      );
      parts.push(
        `<text x="${width - margin.right + 6}" y="${cy + 4}" font-size="11" fill="${COLOURS.text}">${timing.ratio.toFixed(3)}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}
