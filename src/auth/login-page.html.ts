// The sign-in page for people in a browser (the administration pages send anyone without a session
// here, and show the same form on their 401 pages): username or e-mail and password, posted to
// /login with the form's CSRF value and the page to return to.
import { escapeHtml } from '../platform/http/html.js';

/** The page's only style element (allowed by hash in its Content-Security-Policy). */
export const LOGIN_PAGE_STYLE = `
  body { font: 15px/1.45 system-ui, sans-serif; color: #111827; margin: 0 auto; max-width: 420px; padding: 48px 24px; }
  h1 { font-size: 26px; margin: 0 0 12px; } .note { background: #f3f4f6; padding: 10px 14px; border-radius: 6px; }
  form { display: flex; flex-direction: column; gap: 12px; margin-top: 16px; }
  label { display: flex; flex-direction: column; font-size: 13px; color: #374151; gap: 4px; }
  input { font: inherit; padding: 6px 8px; } button { font: inherit; padding: 8px; }
`;

export interface LoginPageOptions {
  status: number;
  message: string | null;
  csrf: string;
  next: string;
}

export function loginForm(csrf: string, next: string): string {
  return `<form method="post" action="/login">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><input type="hidden" name="next" value="${escapeHtml(next)}">
<label>Username or e-mail <input name="username" autocomplete="username" required maxlength="254"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="256"></label>
<button type="submit">Sign in</button></form>`;
}

export function renderLoginPage(options: LoginPageOptions): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in · Corkboard</title><style>${LOGIN_PAGE_STYLE}</style></head>
<body><h1>Sign in</h1>${options.message ? `<p class="note" data-status="${options.status}">${escapeHtml(options.message)}</p>` : ''}
${loginForm(options.csrf, options.next)}</body></html>
`;
}

/** A small form that signs the session out (POST /logout with the session's CSRF token). */
export function logoutForm(csrf: string): string {
  return `<form method="post" action="/logout" class="logout"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><button type="submit">Sign out</button></form>`;
}
