// The results page of one experiment, rendered on the server as one self-contained HTML document (no
// script, styles inline): the sample-ratio check first (a mismatch means the lifts below cannot be
// trusted), then each metric's per-variation numbers and its relative lifts with their intervals as
// a chart, then first exposures over time. A small form re-renders it with other analysis options.
import type { ExperimentResults, ResultsOptions } from '../experiment-results.service.js';
import type { MetricDefinition } from '../metrics/metric-catalog.js';
import type { Lift, MetricAnalysis } from '../stats/analysis.js';
import { escapeHtml } from './html.js';
import { logoutForm } from '../../auth/login-page.html.js';
import { VARIATION_COLOURS, formatPercent, intervalChart, timeSeriesChart, type IntervalRow, type Series } from './svg-charts.js';

/**
 * The style element of the results and message pages (allowed by hash in their Content-Security-Policy,
 * so no inline style attribute: swatches take their colour from a class).
 */
export const RESULTS_PAGE_STYLE = `
  body { font: 15px/1.45 system-ui, sans-serif; color: #111827; margin: 0 auto; max-width: 980px; padding: 24px; }
  h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 32px 0 8px; } h3 { font-size: 17px; margin: 20px 0 4px; }
  .meta { color: #4b5563; margin: 0; } .note { background: #f3f4f6; padding: 10px 14px; border-radius: 6px; }
  table { border-collapse: collapse; margin: 8px 0 12px; } th, td { padding: 4px 10px; text-align: right; border-bottom: 1px solid #e5e7eb; }
  th:first-child, td:first-child { text-align: left; } th { font-weight: 600; color: #374151; }
  .verdict { padding: 10px 14px; border-radius: 6px; font-weight: 600; }
  .ok { background: #ecfdf5; color: #065f46; } .bad { background: #fef2f2; color: #991b1b; }
  .better { color: #15803d; font-weight: 600; } .worse { color: #b91c1c; font-weight: 600; }
  .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; }
  svg { max-width: 100%; height: auto; } svg .tick { font-size: 11px; fill: #6b7280; } svg .label, svg .legend { font-size: 12px; fill: #111827; }
  form { display: flex; gap: 16px; align-items: end; flex-wrap: wrap; background: #f9fafb; padding: 12px; border-radius: 6px; }
  label { display: flex; flex-direction: column; font-size: 13px; color: #374151; }
${VARIATION_COLOURS.map((colour, i) => `  .swatch-${i} { background: ${colour}; }`).join('\n')}
`;

export interface ResultsPageOptions {
  /** The options the analysis ran with (shown in the form). */
  options: ResultsOptions;
  /** The session's CSRF token for the sign-out button; null when not signed in by session. */
  logoutCsrf: string | null;
}

const p = (value: number | null) => (value === null ? '–' : value < 0.001 ? '< 0.001' : value.toFixed(3));

function formatMean(metric: MetricDefinition | undefined, value: number): string {
  return metric?.type === 'proportion' ? `${(value * 100).toFixed(1)}%` : value.toPrecision(4);
}

function verdictOf(lift: Lift, metric: MetricDefinition | undefined): IntervalRow['verdict'] {
  if (!lift.significant || lift.estimate === null || lift.estimate === 0) return 'neutral';
  const up = lift.estimate > 0;
  return up === (metric?.higherIsBetter ?? true) ? 'better' : 'worse';
}

function liftCell(lift: Lift | null, metric: MetricDefinition | undefined, asPercent: boolean): string {
  if (!lift) return '<td>–</td>';
  if (lift.error || lift.estimate === null) return `<td title="${escapeHtml(lift.error ?? '')}">no estimate</td>`;
  const f = (v: number | null) => (v === null ? '–' : asPercent ? formatPercent(v) : v.toPrecision(3));
  const verdict = verdictOf(lift, metric);
  return `<td class="${verdict}">${escapeHtml(f(lift.estimate))} <small>[${escapeHtml(f(lift.ciLow))}, ${escapeHtml(f(lift.ciHigh))}]</small></td>`;
}

function variationName(results: ExperimentResults, index: number): string {
  const variation = results.experiment.variations[index];
  return variation ? variation.name || variation.key : `variation ${index}`;
}

function swatch(index: number): string {
  return `<span class="swatch swatch-${index % VARIATION_COLOURS.length}"></span>`;
}

function srmSection(results: ExperimentResults): string {
  const { srm } = results;
  const total = srm.users.reduce((sum, n) => sum + n, 0);
  const weightTotal = srm.weights.reduce((sum, w) => sum + w, 0) || 1;
  const verdict = srm.mismatch
    ? `Sample ratio mismatch (p = ${p(srm.pValue)}, below ${srm.threshold}): the split of exposed users is not the one the weights ask for, so the lifts below cannot be trusted. Look for a bug in assignment or in exposure logging.`
    : `No sample ratio mismatch (p = ${p(srm.pValue)}; flagged below ${srm.threshold}).`;
  const rows = srm.users
    .map((users, i) => {
      const expected = (srm.weights[i]! / weightTotal) * total;
      return `<tr data-variation="${i}"><td>${swatch(i)}${escapeHtml(variationName(results, i))}</td><td>${(srm.weights[i]! * 100).toFixed(1)}%</td><td>${expected.toFixed(1)}</td><td>${users}</td><td>${total ? ((users / total) * 100).toFixed(1) : '0.0'}%</td></tr>`;
    })
    .join('');
  return `<section id="srm"><h2>Sample ratio</h2><p class="verdict ${srm.mismatch ? 'bad' : 'ok'}" data-mismatch="${srm.mismatch}" data-p-value="${srm.pValue}">${escapeHtml(verdict)}</p>
<table><thead><tr><th>Variation</th><th>Weight</th><th>Expected users</th><th>Exposed users</th><th>Share</th></tr></thead><tbody>${rows}</tbody></table>
<p class="meta">χ² = ${srm.chiSquare.toFixed(3)} with ${srm.degreesOfFreedom} degree${srm.degreesOfFreedom === 1 ? '' : 's'} of freedom.</p></section>`;
}

function metricSection(results: ExperimentResults, analysis: MetricAnalysis, index: number): string {
  const metric = results.metrics.find((m) => m.key === analysis.key);
  const name = metric?.name ?? analysis.key;
  const rows = analysis.variations
    .map((v) => {
      const mean = formatMean(metric, v.mean) + (v.adjustedMean !== null ? ` <small>(adjusted ${escapeHtml(formatMean(metric, v.adjustedMean))})</small>` : '');
      return `<tr data-variation="${v.index}"><td>${swatch(v.index)}${escapeHtml(variationName(results, v.index))}${v.index === 0 ? ' <small>(control)</small>' : ''}</td><td>${v.n}</td><td>${mean}</td>${liftCell(v.absolute, metric, false)}${liftCell(v.relative, metric, true)}<td>${v.relative ? p(v.relative.adjustedPValue) : '–'}</td></tr>`;
    })
    .join('');
  const intervals: IntervalRow[] = analysis.variations.flatMap((v) => {
    const lift = v.relative;
    if (!lift || lift.estimate === null || lift.ciLow === null || lift.ciHigh === null) return [];
    return [{ label: variationName(results, v.index), variationIndex: v.index, estimate: lift.estimate, low: lift.ciLow, high: lift.ciHigh, verdict: verdictOf(lift, metric) }];
  });
  const confidence = `${Math.round((1 - results.analysis!.alpha) * 1000) / 10}%`;
  const chart = intervals.length
    ? intervalChart(intervals, {
        id: `metric-${index}`,
        title: `${name}: relative lift over the control`,
        description: `${confidence} ${results.analysis!.sequential.enabled ? 'confidence sequences' : 'confidence intervals'} of the relative lift of each variation over the control; the dashed line is no change.`,
      })
    : '<p class="note">No variation has an estimate yet (no variance in a variation, or a zero baseline).</p>';
  return `<article class="metric" id="metric-${escapeHtml(analysis.key)}" data-metric="${escapeHtml(analysis.key)}">
<h3>${escapeHtml(name)}${analysis.cuped ? ' <small>(CUPED)</small>' : ''}</h3>${metric ? `<p class="meta">${escapeHtml(metric.description)}${metric.higherIsBetter ? '' : ' Lower is better.'}</p>` : ''}
<table><thead><tr><th>Variation</th><th>Users</th><th>Mean</th><th>Absolute lift [${confidence}]</th><th>Relative lift [${confidence}]</th><th>p-value${results.analysis!.correction === 'none' ? '' : ' (adjusted)'}</th></tr></thead><tbody>${rows}</tbody></table>
${chart}</article>`;
}

function exposureSection(results: ExperimentResults): string {
  const { unit, buckets } = results.exposuresOverTime;
  if (buckets.length === 0) return '<section id="exposures"><h2>Exposures over time</h2><p class="note">No exposures yet.</p></section>';
  const count = results.experiment.variations.length;
  const running = new Array<number>(count).fill(0);
  const series: Series[] = Array.from({ length: count }, (_, i) => ({ label: variationName(results, i), variationIndex: i, points: [] as { time: Date; value: number }[] }));
  for (const bucket of buckets) {
    bucket.counts.forEach((n, i) => {
      running[i]! += n;
      (series[i]!.points as { time: Date; value: number }[]).push({ time: bucket.start, value: running[i]! });
    });
  }
  const chart = timeSeriesChart(series, unit, {
    id: 'exposures',
    title: 'Exposed users over time',
    description: `Cumulative first exposures per variation, counted per ${unit} (UTC).`,
  });
  const header = results.experiment.variations.map((_, i) => `<th>${swatch(i)}${escapeHtml(variationName(results, i))}</th>`).join('');
  const rows = buckets
    .map((bucket) => `<tr><td>${escapeHtml(unit === 'day' ? bucket.start.toISOString().slice(0, 10) : `${bucket.start.toISOString().slice(0, 13)}:00`)}</td>${bucket.counts.map((n) => `<td>${n}</td>`).join('')}</tr>`)
    .join('');
  return `<section id="exposures"><h2>Exposures over time</h2>${chart}
<details><summary>New exposures per ${unit}</summary><table><thead><tr><th>${unit === 'day' ? 'Day' : 'Hour'} (UTC)</th>${header}</tr></thead><tbody>${rows}</tbody></table></details></section>`;
}

function optionsForm(results: ExperimentResults, page: ResultsPageOptions): string {
  const o = page.options;
  const correction = o.correction ?? 'none';
  const option = (value: string, label: string) => `<option value="${value}"${correction === value ? ' selected' : ''}>${label}</option>`;
  return `<form method="get" action="">
<label>Significance level <input name="alpha" type="number" step="0.001" min="0.001" max="0.5" value="${o.alpha ?? 0.05}"></label>
<label>Correction <select name="correction">${option('none', 'none')}${option('holm', 'Holm–Bonferroni')}${option('bh', 'Benjamini–Hochberg')}</select></label>
<label>CUPED lookback (days, 0 = off) <input name="pre_period_days" type="number" min="0" max="90" value="${results.window.prePeriodDays}"></label>
<label>Sequential <select name="sequential"><option value="false"${o.sequential ? '' : ' selected'}>no</option><option value="true"${o.sequential ? ' selected' : ''}>yes</option></select></label>
<button type="submit">Recompute</button></form>`;
}

export function renderResultsPage(results: ExperimentResults, page: ResultsPageOptions): string {
  const { experiment } = results;
  const date = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '–');
  const metrics = results.analysis
    ? results.analysis.metrics.map((metric, i) => metricSection(results, metric, i)).join('\n')
    : `<p class="note">${escapeHtml(results.note ?? 'No analysis.')}</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(experiment.name)} · experiment results · Corkboard</title><style>${RESULTS_PAGE_STYLE}</style></head>
<body>
${page.logoutCsrf ? logoutForm(page.logoutCsrf) : ''}<header><h1>${escapeHtml(experiment.name)}</h1>
<p class="meta"><code>${escapeHtml(experiment.key)}</code> · <span data-status="${experiment.status}">${experiment.status}</span> · started ${date(experiment.phaseStartedAt)}${experiment.stoppedAt ? ` · stopped ${date(experiment.stoppedAt)}` : ''}</p>
${experiment.description ? `<p>${escapeHtml(experiment.description)}</p>` : ''}</header>
<main>
${srmSection(results)}
<section id="metrics"><h2>Metrics</h2>
${metrics}
</section>
${exposureSection(results)}
<section id="options"><h2>Analysis</h2>
<p class="meta">Events from each user's first exposure to ${date(results.window.end)}; CUPED uses the ${results.window.prePeriodDays} days before it${results.window.prePeriodDays === 0 ? ' (off)' : ''}. Computed ${date(results.computedAt)}.</p>
${optionsForm(results, page)}</section>
</main></body></html>
`;
}

export function renderMessagePage(status: number, heading: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(heading)} · Corkboard</title><style>${RESULTS_PAGE_STYLE}</style></head>
<body><h1>${escapeHtml(heading)}</h1><p class="note" data-status="${status}">${escapeHtml(message)}</p></body></html>
`;
}
