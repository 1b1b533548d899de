// The report's chart, drawn as plain SVG: horizontal bars per scenario, Corkboard next to its
// baseline; one panel for throughput (req/s), one for latency (p50 and p99, ms).

export interface ChartRow {
  label: string;
  rps: number;
  baselineRps: number | undefined;
  p50: number;
  p99: number;
  baselineP50: number | undefined;
  baselineP99: number | undefined;
}

const WIDTH = 960;
const LABEL_WIDTH = 190;
const VALUE_ROOM = 90;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_ROOM;
const COLORS = {
  corkboard: '#c8412f',
  corkboardLight: '#e89a8d',
  baseline: '#6b7280',
  baselineLight: '#b8bdc6',
  text: '#1f2937',
  grid: '#e5e7eb',
};

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function formatNumber(value: number): string {
  if (value === 0) return '0';
  if (value >= 100) return Math.round(value).toLocaleString('en');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** A "nice" axis maximum (1, 2 or 5 times a power of ten) at or above `value`. */
function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

interface Bar {
  value: number | undefined;
  color: string;
}

interface Panel {
  title: string;
  unit: string;
  /** A log scale shows sub-millisecond baselines and second-long tails on one axis. */
  scale: 'linear' | 'log';
  bars: (row: ChartRow) => Bar[];
  legend: Array<{ label: string; color: string }>;
}

function drawPanel(rows: ChartRow[], panel: Panel, top: number, parts: string[]): number {
  const barHeight = 11;
  const groupGap = 12;
  const perGroup = panel.bars(rows[0] as ChartRow).length;
  const groupHeight = perGroup * (barHeight + 2) + groupGap;
  const values = rows.flatMap((row) => panel.bars(row).map((bar) => bar.value ?? 0));
  const ticks: number[] = [];
  let x: (value: number) => number;
  if (panel.scale === 'log') {
    const low = Math.floor(Math.log10(Math.max(0.01, Math.min(...values.filter((value) => value > 0)))));
    const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...values))));
    for (let power = low; power <= high; power += 1) ticks.push(10 ** power);
    x = (value) => LABEL_WIDTH + ((Math.log10(Math.max(value, 10 ** low)) - low) / (high - low)) * PLOT_WIDTH;
  } else {
    const max = niceMax(Math.max(...values));
    for (let tick = 0; tick <= 4; tick += 1) ticks.push((max * tick) / 4);
    x = (value) => LABEL_WIDTH + (value / max) * PLOT_WIDTH;
  }

  parts.push(`<text x="${LABEL_WIDTH}" y="${top + 16}" font-size="15" font-weight="bold" fill="${COLORS.text}">${escapeXml(panel.title)}</text>`);
  let legendX = LABEL_WIDTH;
  for (const item of panel.legend) {
    parts.push(`<rect x="${legendX}" y="${top + 26}" width="12" height="12" fill="${item.color}"/>`);
    parts.push(`<text x="${legendX + 16}" y="${top + 36}" font-size="12" fill="${COLORS.text}">${escapeXml(item.label)}</text>`);
    legendX += 30 + item.label.length * 7;
  }
  const plotTop = top + 52;
  const plotHeight = rows.length * groupHeight;
  ticks.forEach((value, index) => {
    const tx = x(value);
    parts.push(`<line x1="${tx}" y1="${plotTop - 4}" x2="${tx}" y2="${plotTop + plotHeight}" stroke="${COLORS.grid}"/>`);
    const last = index === ticks.length - 1;
    parts.push(
      `<text x="${tx}" y="${plotTop + plotHeight + 14}" font-size="11" text-anchor="middle" fill="${COLORS.text}">${value >= 1 || value === 0 ? Math.round(value).toLocaleString('en') : String(value)}${last ? ` ${panel.unit}` : ''}</text>`,
    );
  });
  rows.forEach((row, index) => {
    const groupTop = plotTop + index * groupHeight;
    const bars = panel.bars(row);
    const middle = groupTop + (bars.length * (barHeight + 2)) / 2;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${middle + 4}" font-size="12" text-anchor="end" fill="${COLORS.text}">${escapeXml(row.label)}</text>`,
    );
    bars.forEach((bar, barIndex) => {
      const y = groupTop + barIndex * (barHeight + 2);
      if (bar.value === undefined) return;
      const width = Math.max(1, x(bar.value) - LABEL_WIDTH);
      parts.push(`<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${barHeight}" fill="${bar.color}"/>`);
      parts.push(
        `<text x="${(LABEL_WIDTH + width + 4).toFixed(1)}" y="${y + barHeight - 1}" font-size="10" fill="${COLORS.text}">${formatNumber(bar.value)}</text>`,
      );
    });
  });
  return plotTop + plotHeight + 30;
}

export function renderChart(title: string, subtitle: string, rows: ChartRow[]): string {
  const parts: string[] = [];
  parts.push(`<text x="16" y="26" font-size="18" font-weight="bold" fill="${COLORS.text}">${escapeXml(title)}</text>`);
  parts.push(`<text x="16" y="46" font-size="12" fill="${COLORS.text}">${escapeXml(subtitle)}</text>`);
  let top = 60;
  if (rows.length > 0) {
    top = drawPanel(
      rows,
      {
        title: 'Throughput (requests/s, higher is better)',
        unit: 'req/s',
        scale: 'linear',
        bars: (row) => [
          { value: row.rps, color: COLORS.corkboard },
          { value: row.baselineRps, color: COLORS.baseline },
        ],
        legend: [
          { label: 'Corkboard', color: COLORS.corkboard },
          { label: 'bare Fastify baseline', color: COLORS.baseline },
        ],
      },
      top,
      parts,
    );
    top = drawPanel(
      rows,
      {
        title: 'Latency (ms, log scale, lower is better)',
        unit: 'ms',
        scale: 'log',
        bars: (row) => [
          { value: row.p50, color: COLORS.corkboardLight },
          { value: row.p99, color: COLORS.corkboard },
          { value: row.baselineP50, color: COLORS.baselineLight },
          { value: row.baselineP99, color: COLORS.baseline },
        ],
        legend: [
          { label: 'Corkboard p50', color: COLORS.corkboardLight },
          { label: 'Corkboard p99', color: COLORS.corkboard },
          { label: 'baseline p50', color: COLORS.baselineLight },
          { label: 'baseline p99', color: COLORS.baseline },
        ],
      },
      top + 10,
      parts,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" viewBox="0 0 ${WIDTH} ${top}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${top}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
