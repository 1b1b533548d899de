// Server-rendered HTML: escaping person-given text, and the headers every page answers with.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text placed into HTML or SVG, in element content and in attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/**
 * Content type and caching of every page. The security headers (Content-Security-Policy, nosniff,
 * referrer policy, framing) come from browser-security.ts: a page's route declares its policy with
 * `helmet: pagePolicy(...its styles)`.
 */
export const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
};
