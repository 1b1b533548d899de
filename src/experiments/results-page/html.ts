// Text placed into HTML or SVG: every value that came from a person (experiment names, variation
// keys, descriptions) goes through escapeHtml, in element content and in attribute values alike.
export { escapeHtml } from '../../platform/http/html.js';
