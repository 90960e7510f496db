/**
 * (Plain JS run through tsx.) The README's figures from measured reports (`headroom profile` on a
 * real GPU): per strategy × retention, how many points measured exactly their plan, the measured
 * and planned peak at one batch, the floor and how far the peak is above it, the max batch for the
 * report's budget and what binds it, and the step time (first step with shader compilation, and
 * the steady step); and an SVG chart of measured peak against batch, planned curves as lines.
 *
 *   npx tsx scripts/gpu-figures.mjs bench/results/h200/seed-f32-lazy.json.gz [...]
 *     [--batch 64] [--budget 6GB] [--svg docs/h200-seed.svg]
 * --budget: the max batch within it is planned (the report's own maxBatch, if any, is for the
 * budget its sweep was given; a GPU server's sweep runs without one, so every point is measured).
 */
import fs from 'node:fs';
import { parseSize } from '../src/cli/size';
import { specOfPoint } from '../src/cli/report';
import { maxBatch } from '../src/engine/plan/maxBatch';
import { planSpec } from '../src/engine/plan/toReport';
import { decodeReport } from '../src/engine/report/io';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const atBatch = Number(flag('batch', '64'));
const svgOut = flag('svg', null);
const budgetText = flag('budget', '6GB');
const budget = parseSize('budget', budgetText);
const files = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));

const MIB = 2 ** 20;
const mib = (b) => (b === null || b === undefined ? '—' : `${(b / MIB).toFixed(1)} MiB`);
const ms = (v) =>
  v === undefined || v === null ? '—' : v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(1)} ms`;

const series = [];
for (const file of files) {
  const report = await decodeReport(fs.readFileSync(file));
  const options = [
    report.dtype,
    report.allocator,
    report.optimizer,
    report.microBatches > 1 ? `k=${report.microBatches}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  console.log(`\n#### ${file}: ${report.device?.adapter ?? 'no device'}; ${options}\n`);
  console.log(
    `| strategy / retention | measured = planned | peak at batch ${atBatch}: measured | planned | floor | peak − floor | max batch on ${budgetText} (planned) | step at ${atBatch}: first / steady |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const combos = [...new Set(report.points.map((p) => `${p.strategy}/${p.retention}`))];
  for (const combo of combos) {
    const pts = report.points.filter((p) => `${p.strategy}/${p.retention}` === combo);
    const measured = pts.filter((p) => p.measured && p.predicted);
    const exact = measured.filter((p) => p.measured.peakLiveBytes === p.predicted.peakBytes).length;
    const at = pts.find((p) => p.batch === atBatch);
    const { plan } = planSpec(specOfPoint(report, pts[0]), report.allocator);
    const m = maxBatch(plan, budget, report.device?.limits);
    const k = report.microBatches;
    const peak = at?.measured?.peakLiveBytes ?? null;
    const floor = at?.predicted?.floorBytes ?? null;
    const skipped = at?.error ? ` (${at.error.code})` : '';
    console.log(
      `| ${combo} | ${exact} of ${measured.length} | ${mib(peak)}${skipped} | ${mib(at?.predicted?.peakBytes)} | ${mib(floor)} | ${peak !== null && floor !== null ? mib(peak - floor) : '—'} | ${k > 1 ? `${k} × ${m.batch}` : m.batch} (${m.limitedBy}) | ${ms(at?.measured?.firstStepMs)} / ${ms(at?.measured?.stepMs)} |`,
    );
    series.push({
      label: `${combo} (${report.allocator})`,
      planned: pts.filter((p) => p.predicted).map((p) => [p.batch, p.predicted.peakBytes]),
      measured: measured.map((p) => [p.batch, p.measured.peakLiveBytes]),
    });
  }
}

if (svgOut) fs.writeFileSync(svgOut, chart(series));

/** A small standalone SVG: measured peaks as dots on the planned curves, log2 batch axis. */
function chart(all) {
  const W = 760,
    H = 420,
    L = 70,
    R = 210,
    T = 20,
    B = 40;
  const xs = all.flatMap((s) => s.planned.map((p) => p[0]));
  const ys = all.flatMap((s) => s.planned.map((p) => p[1]));
  const [x0, x1] = [Math.log2(Math.min(...xs)), Math.log2(Math.max(...xs))];
  const y1 = Math.max(...ys) / 2 ** 30;
  const X = (b) => L + ((Math.log2(b) - x0) / (x1 - x0 || 1)) * (W - L - R);
  const Y = (bytes) => H - B - (bytes / 2 ** 30 / y1) * (H - T - B);
  const colours = [
    '#1f77b4',
    '#ff7f0e',
    '#2ca02c',
    '#d62728',
    '#9467bd',
    '#8c564b',
    '#e377c2',
    '#7f7f7f',
    '#bcbd22',
    '#17becf',
    '#393b79',
    '#637939',
  ];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`,
    `<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">batch (log scale)</text>`,
    `<text x="14" y="${(T + H - B) / 2}" transform="rotate(-90 14 ${(T + H - B) / 2})" text-anchor="middle">peak live GiB (lines: planned, dots: measured)</text>`,
  ];
  for (let e = Math.ceil(x0); e <= x1; e++)
    parts.push(`<text x="${X(2 ** e)}" y="${H - B + 14}" text-anchor="middle">${2 ** e}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (y1 * i) / 4;
    parts.push(`<text x="${L - 6}" y="${Y(v * 2 ** 30) + 4}" text-anchor="end">${v.toFixed(1)}</text>`);
  }
  all.forEach((s, i) => {
    const c = colours[i % colours.length];
    const d = s.planned.map(([b, v], j) => `${j ? 'L' : 'M'}${X(b).toFixed(1)},${Y(v).toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="1.5"/>`);
    for (const [b, v] of s.measured)
      parts.push(`<circle cx="${X(b).toFixed(1)}" cy="${Y(v).toFixed(1)}" r="3" fill="${c}"/>`);
    parts.push(`<rect x="${W - R + 12}" y="${T + i * 16}" width="10" height="10" fill="${c}"/>`);
    parts.push(`<text x="${W - R + 28}" y="${T + i * 16 + 9}">${s.label}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
