// The two charts of the results page, as inline SVG (no script, no external file): each metric's
// lift per variation with its confidence interval, and cumulative first exposures over time per
// variation. Every mark carries data-* attributes with its numbers, and every chart a <title> and a
// <desc>, so the page reads the same to a screen reader, a test and a person.
import { escapeHtml } from './html.js';

export const VARIATION_COLOURS = ['#6b7280', '#2563eb', '#d97706', '#7c3aed', '#0d9488', '#db2777', '#65a30d', '#dc2626'];

export function colourOf(index: number): string {
  return VARIATION_COLOURS[index % VARIATION_COLOURS.length]!;
}

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  // From the last round value at or below min to the first at or above max, so the ticks cover both.
  const ticks: number[] = [];
  const last = Math.ceil(max / step - 1e-9) * step;
  for (let value = Math.floor(min / step + 1e-9) * step; value <= last + step * 1e-9; value += step) {
    ticks.push(Math.abs(value) < step * 1e-9 ? 0 : Number(value.toPrecision(12)));
  }
  return ticks;
}

export function formatPercent(value: number, digits = 1): string {
  const text = `${(value * 100).toFixed(digits)}%`;
  return value > 0 ? `+${text}` : text;
}

export interface ChartText {
  /** Unique in the page: the chart's title and description are referenced by it. */
  id: string;
  title: string;
  description: string;
}

export interface IntervalRow {
  label: string;
  variationIndex: number;
  estimate: number;
  low: number;
  high: number;
  /** 'better' or 'worse' when significant in that direction, else 'neutral'. */
  verdict: 'better' | 'worse' | 'neutral';
}

const VERDICT_COLOURS = { better: '#15803d', worse: '#b91c1c', neutral: '#4b5563' };

/** Relative lifts with their intervals against a zero line. */
export function intervalChart(rows: readonly IntervalRow[], options: ChartText): string {
  const width = 640;
  const labelWidth = 150;
  const rowHeight = 34;
  const top = 12;
  const axisHeight = 30;
  const height = top + rows.length * rowHeight + axisHeight;
  const extent = Math.max(0.01, ...rows.flatMap((row) => [Math.abs(row.low), Math.abs(row.high)]).filter(Number.isFinite)) * 1.1;
  const ticks = niceTicks(-extent, extent, 6);
  const lo = Math.min(-extent, ticks[0]!);
  const hi = Math.max(extent, ticks[ticks.length - 1]!);
  const plotLeft = labelWidth;
  // Room for half of the last tick's label ("+150.0%"), which is centred on the plot's right edge.
  const plotWidth = width - labelWidth - 32;
  const x = (value: number) => plotLeft + ((value - lo) / (hi - lo)) * plotWidth;
  const clamp = (value: number) => Math.min(hi, Math.max(lo, value));
  const plotBottom = top + rows.length * rowHeight;

  const parts: string[] = [];
  for (const tick of ticks) {
    parts.push(
      `<line x1="${x(tick).toFixed(1)}" x2="${x(tick).toFixed(1)}" y1="${top}" y2="${plotBottom}" stroke="#e5e7eb"/>`,
      `<text x="${x(tick).toFixed(1)}" y="${plotBottom + 18}" text-anchor="middle" class="tick">${escapeHtml(formatPercent(tick, tick === 0 ? 0 : 1))}</text>`,
    );
  }
  parts.push(`<line class="zero" x1="${x(0).toFixed(1)}" x2="${x(0).toFixed(1)}" y1="${top - 4}" y2="${plotBottom}" stroke="#111827" stroke-dasharray="4 3"/>`);
  rows.forEach((row, i) => {
    const y = top + i * rowHeight + rowHeight / 2;
    const colour = VERDICT_COLOURS[row.verdict];
    parts.push(
      `<g class="interval" data-variation="${row.variationIndex}" data-estimate="${row.estimate}" data-ci-low="${row.low}" data-ci-high="${row.high}" data-verdict="${row.verdict}">`,
      `<text x="${labelWidth - 10}" y="${y + 4}" text-anchor="end" class="label">${escapeHtml(row.label)}</text>`,
      `<line x1="${x(clamp(row.low)).toFixed(1)}" x2="${x(clamp(row.high)).toFixed(1)}" y1="${y}" y2="${y}" stroke="${colour}" stroke-width="6" stroke-linecap="round" opacity="0.35"/>`,
      `<circle cx="${x(clamp(row.estimate)).toFixed(1)}" cy="${y}" r="5" fill="${colour}"/>`,
      `<title>${escapeHtml(`${row.label}: ${formatPercent(row.estimate)} (${formatPercent(row.low)} to ${formatPercent(row.high)})`)}</title>`,
      '</g>',
    );
  });
  return svg(width, height, options, parts);
}

export interface SeriesPoint {
  time: Date;
  value: number;
}

export interface Series {
  label: string;
  variationIndex: number;
  points: readonly SeriesPoint[];
}

function formatTime(time: Date, unit: 'hour' | 'day'): string {
  const iso = time.toISOString();
  return unit === 'day' ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 13)}h`;
}

/** Lines of cumulative counts over time, one per variation. */
export function timeSeriesChart(series: readonly Series[], unit: 'hour' | 'day', options: ChartText): string {
  const width = 640;
  const height = 260;
  const left = 56;
  const right = 28;
  const top = 14;
  const bottom = 44;
  const times = series.flatMap((s) => s.points.map((p) => p.time.getTime()));
  const values = series.flatMap((s) => s.points.map((p) => p.value));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  const yTicks = niceTicks(0, Math.max(1, ...values), 5);
  const yMax = Math.max(yTicks[yTicks.length - 1]!, 1);
  const x = (time: number) => left + ((time - t0) / (t1 - t0)) * (width - left - right);
  const y = (value: number) => top + (1 - value / yMax) * (height - top - bottom);

  const parts: string[] = [];
  for (const tick of yTicks) {
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#e5e7eb"/>`,
      `<text x="${left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end" class="tick">${tick}</text>`,
    );
  }
  const uniqueTimes = [...new Set(times)].sort((a, b) => a - b);
  const every = Math.max(1, Math.ceil(uniqueTimes.length / 6));
  uniqueTimes.forEach((time, i) => {
    if (i % every !== 0) return;
    parts.push(`<text x="${x(time).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle" class="tick">${escapeHtml(formatTime(new Date(time), unit))}</text>`);
  });
  // Legend entries side by side, each as wide as its text (about 6.5 px a character at 12 px).
  let legendX = left;
  series.forEach((s) => {
    const colour = colourOf(s.variationIndex);
    const legendText = `${s.label} (${s.points[s.points.length - 1]?.value ?? 0})`;
    const path = s.points.map((p) => `${x(p.time.getTime()).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
    const last = s.points[s.points.length - 1];
    parts.push(
      `<g class="series" data-variation="${s.variationIndex}" data-total="${last?.value ?? 0}">`,
      s.points.length > 1
        ? `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2.5"/>`
        : `<circle cx="${x(s.points[0]?.time.getTime() ?? t0).toFixed(1)}" cy="${y(last?.value ?? 0).toFixed(1)}" r="4" fill="${colour}"/>`,
      `<rect x="${legendX}" y="${height - 16}" width="10" height="10" fill="${colour}"/>`,
      `<text x="${legendX + 14}" y="${height - 7}" class="legend">${escapeHtml(legendText)}</text>`,
      '</g>',
    );
    legendX += 14 + Math.ceil(legendText.length * 6.5) + 18;
  });
  return svg(width, height, options, parts);
}

function svg(width: number, height: number, options: ChartText, parts: string[]): string {
  const id = options.id;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeHtml(options.title)}</title>`,
    `<desc id="${id}-desc">${escapeHtml(options.description)}</desc>`,
    ...parts,
    '</svg>',
  ].join('');
}
