/**
 * The sweep as an SVG chart, written by hand (no chart library): one panel per charted scenario,
 * throughput against callers, a line per contender, redis-benchmark's ceiling as dashed lines.
 * The y axis is logarithmic so that a ceiling several times above the clients and a REST bridge
 * far below them fit one panel; equal gaps mean equal ratios. Where a scenario has peers, its
 * raw-driver rows stay in the tables only: the chart is ours against each peer.
 */
import { compact } from './print.js';
import type { RunEnvironment, ThroughputResult } from './results.js';
import type { Ceiling } from './scenario.js';

const PANEL_W = 600;
const PLOT_H = 200;
const LEGEND_ROW = 15;
const MARGIN = { left: 58, right: 16, top: 34, bottom: 52 };
const COLUMNS = 2;
const OURS = ['#1f6feb', '#0a9396', '#7b2cbf', '#2b9348', '#3a86ff', '#5e60ce'];
const THEIRS = ['#e76f51', '#f4a261', '#bc4749', '#d62828', '#fb8500', '#9c6644'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface Series {
  readonly name: string;
  readonly color: string;
  readonly dash: string;
  readonly width: number;
  readonly values: readonly number[];
}

/** The lines of one panel: ours and the peers (or the raw drivers, where there are no peers), and the ceiling. */
function seriesOf(result: ThroughputResult, ceilings: Map<number, Ceiling>): Series[] {
  const concurrencies = result.points.map((point) => point.concurrency);
  const first = result.points[0]?.rows ?? [];
  const hasPeers = first.some((row) => row.role === 'peer');
  const names = first.filter((row) => !(hasPeers && row.role === 'raw')).map((row) => row.name);
  let ours = 0;
  let theirs = 0;
  const series: Series[] = names.map((name) => {
    const role = result.points[0]!.rows.find((row) => row.name === name)!.role;
    const mine = role === 'ours';
    return {
      name,
      color: mine ? OURS[ours++ % OURS.length]! : THEIRS[theirs++ % THEIRS.length]!,
      dash: mine ? '' : role === 'raw' ? '6 3' : '2 3',
      width: mine ? 2.5 : 1.8,
      values: result.points.map((point) => point.rows.find((row) => row.name === name)!.summary.median),
    };
  });
  if (result.ceiling) {
    const p1 = concurrencies.map((c) => ceilings.get(c)?.p1.median);
    const p16 = concurrencies.map((c) => ceilings.get(c)?.p16.median);
    if (p1.every((v) => v !== undefined)) {
      series.push({
        name: 'ceiling: redis-benchmark -P 1',
        color: '#555',
        dash: '8 4',
        width: 1.2,
        values: p1 as number[],
      });
    }
    if (p16.every((v) => v !== undefined)) {
      series.push({
        name: 'ceiling: redis-benchmark -P 16',
        color: '#111',
        dash: '8 4',
        width: 1.2,
        values: p16 as number[],
      });
    }
  }
  return series;
}

/** How tall a panel is: the plot and its legend (two names a row). */
function panelHeight(series: readonly Series[]): number {
  return MARGIN.top + PLOT_H + MARGIN.bottom + Math.ceil(series.length / 2) * LEGEND_ROW;
}

function panel(result: ThroughputResult, series: readonly Series[], x0: number, y0: number): string {
  const concurrencies = result.points.map((point) => point.concurrency);
  const all = series.flatMap((s) => s.values).filter((v) => v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.min(...all)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...all)));
  const plotW = PANEL_W - MARGIN.left - MARGIN.right;
  const plotH = PLOT_H;
  const x = (index: number) =>
    x0 +
    MARGIN.left +
    (concurrencies.length === 1 ? plotW / 2 : (index * plotW) / (concurrencies.length - 1));
  const y = (value: number) =>
    y0 +
    MARGIN.top +
    plotH -
    ((Math.log10(Math.max(value, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotH;
  const parts: string[] = [];
  parts.push(`<text x="${x0 + MARGIN.left}" y="${y0 + 20}" class="title">${escapeXml(result.title)}</text>`);
  for (let decade = lo; decade <= hi * 1.0001; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const value = decade * step;
      if (value > hi * 1.0001) break;
      const yy = y(value).toFixed(1);
      parts.push(
        `<line x1="${x0 + MARGIN.left}" x2="${x0 + MARGIN.left + plotW}" y1="${yy}" y2="${yy}" class="${step === 1 ? 'grid' : 'minor'}"/>`,
      );
      parts.push(`<text x="${x0 + MARGIN.left - 6}" y="${yy}" class="ytick">${compact(value)}</text>`);
    }
  }
  concurrencies.forEach((c, index) => {
    parts.push(
      `<text x="${x(index).toFixed(1)}" y="${y0 + MARGIN.top + plotH + 16}" class="xtick">${c}</text>`,
    );
  });
  parts.push(
    `<text x="${x0 + MARGIN.left + plotW / 2}" y="${y0 + MARGIN.top + plotH + 32}" class="axis">callers (log scale) · ${escapeXml(result.unit)} (log scale)</text>`,
  );
  for (const s of series) {
    const points = s.values.map((value, index) => `${x(index).toFixed(1)},${y(value).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
    );
    for (const [index, value] of s.values.entries()) {
      parts.push(
        `<circle cx="${x(index).toFixed(1)}" cy="${y(value).toFixed(1)}" r="2.6" fill="${s.color}"/>`,
      );
    }
  }
  series.forEach((s, index) => {
    const lx = x0 + MARGIN.left + (index % 2) * (plotW / 2);
    const ly = y0 + MARGIN.top + plotH + 48 + Math.floor(index / 2) * LEGEND_ROW;
    parts.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="${s.width}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
    );
    parts.push(`<text x="${lx + 27}" y="${ly}" class="legend">${escapeXml(s.name)}</text>`);
  });
  return parts.join('\n');
}

/** The SVG document of every charted scenario of the run. */
export function sweepChart(
  results: readonly ThroughputResult[],
  ceilings: Map<number, Ceiling>,
  caption: string,
): string {
  const charted = results.filter((result) => result.chart && result.points.length > 0);
  const series = charted.map((result) => seriesOf(result, ceilings));
  const width = PANEL_W * Math.min(COLUMNS, Math.max(1, charted.length));
  const panels: string[] = [];
  let top = 0;
  for (let row = 0; row * COLUMNS < charted.length; row++) {
    const indices = charted.map((_, index) => index).slice(row * COLUMNS, (row + 1) * COLUMNS);
    for (const index of indices)
      panels.push(panel(charted[index]!, series[index]!, (index % COLUMNS) * PANEL_W, top));
    top += Math.max(...indices.map((index) => panelHeight(series[index]!)));
  }
  const height = top + 30;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif">
<title>pnpm bench: throughput per concurrency, ours against each peer, redis-benchmark's ceiling dashed</title>
<style>
.title { font-size: 14px; font-weight: 600; fill: #222; }
.grid { stroke: #ccc; stroke-width: 1; }
.minor { stroke: #eee; stroke-width: 1; }
.ytick { font-size: 10px; fill: #555; text-anchor: end; dominant-baseline: middle; }
.xtick { font-size: 11px; fill: #333; text-anchor: middle; }
.axis { font-size: 10px; fill: #666; text-anchor: middle; }
.legend { font-size: 10.5px; fill: #222; }
.caption { font-size: 10.5px; fill: #555; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
${panels.join('\n')}
<text x="12" y="${height - 10}" class="caption">${escapeXml(caption)}</text>
</svg>
`;
}

/** The chart's caption: when, where, and how loaded the machine was. */
export function chartCaption(environment: RunEnvironment): string {
  return (
    `pnpm bench, ${environment.startedAt.slice(0, 10)}: node ${environment.node}, ${environment.redis.split(' ')[2] ?? 'redis'}, ` +
    `${environment.cpus} cores (${environment.cpuModel.trim()}), load average ${environment.loadBefore.join('/')} at the start; ` +
    `median of ${environment.rounds} interleaved rounds per point`
  );
}
