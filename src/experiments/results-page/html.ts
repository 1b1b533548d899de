// Text placed into HTML or SVG: every value that came from a person (experiment names, variation
// keys, descriptions) goes through escapeHtml, in element content and in attribute values alike.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}
