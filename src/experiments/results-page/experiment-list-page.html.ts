// GET /experiments for people: every experiment (archived ones aside), newest first, each linking to
// its results page.
import type { ExperimentDefinition } from '../experiment.model.js';
import { escapeHtml } from './html.js';
import { logoutForm } from '../../auth/login-page.html.js';

/** The page's only style element (allowed by hash in its Content-Security-Policy). */
export const LIST_PAGE_STYLE =
  'body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 980px; padding: 24px; } table { border-collapse: collapse; } th, td { padding: 4px 12px; border-bottom: 1px solid #e5e7eb; text-align: left; }';

/** @param logoutCsrf the session's CSRF token for the sign-out button; null when not signed in by session. */
export function renderExperimentListPage(experiments: readonly ExperimentDefinition[], logoutCsrf: string | null): string {
  const rows = experiments
    .map((experiment) => {
      const href = `/experiments/${encodeURIComponent(experiment.key)}/results`;
      const started = experiment.phaseStartedAt ? experiment.phaseStartedAt.toISOString().slice(0, 10) : '–';
      return `<tr data-key="${escapeHtml(experiment.key)}"><td><a href="${escapeHtml(href)}">${escapeHtml(experiment.name)}</a></td><td><code>${escapeHtml(experiment.key)}</code></td><td>${experiment.status}</td><td>${experiment.variations.length}</td><td>${started}</td></tr>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Experiments · Corkboard</title>
<style>${LIST_PAGE_STYLE}</style></head>
<body>${logoutCsrf ? logoutForm(logoutCsrf) : ''}<h1>Experiments</h1>
${experiments.length ? `<table><thead><tr><th>Name</th><th>Key</th><th>Status</th><th>Variations</th><th>Started</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>No experiments yet: create one with POST /v5/experiments.</p>'}
</body></html>
`;
}
