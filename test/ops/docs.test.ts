// The documentation states facts the code defines; these checks fail when the two drift apart: the
// error table in docs/api.md against the error catalogue, the configuration table in the README
// against the variables src/config.ts reads, and links between the documents.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/platform/errors.js';
import { ROOT } from './processes.js';

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Rows of the Markdown tables in `markdown` whose first cell is a `code` span, keyed by it. */
function tableRows(markdown: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of markdown.split('\n')) {
    const match = /^\|\s*`([^`]+)`\s*\|(.*)\|\s*$/.exec(line);
    if (match) rows.set(match[1]!, match[2]!.split('|').map((cell) => cell.trim()));
  }
  return rows;
}

/** GitHub's anchor for a heading. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

describe('documentation', () => {
  it('docs/api.md lists every error of the catalogue with its status and code, and nothing else', () => {
    const rows = tableRows(read('docs/api.md'));
    const documented = new Map([...rows].filter(([name]) => /^[A-Z][A-Z_]+$/.test(name)));
    for (const [name, entry] of Object.entries(ERROR_CATALOGUE)) {
      const row = documented.get(name);
      expect(row, `docs/api.md has no row for ${name}`).toBeDefined();
      expect(row!.slice(0, 2), name).toEqual([String(entry.status), String(entry.code)]);
      expect(row![2], `${name} needs a "when"`).not.toBe('');
    }
    expect([...documented.keys()].filter((name) => !(name in ERROR_CATALOGUE))).toEqual([]);
  });

  it('the README configuration table lists every environment variable src/config.ts reads', () => {
    const source = read('src/config.ts');
    const variables = new Set([...source.matchAll(/\(env, '([A-Z_]+)'/g)].map((match) => match[1]!));
    expect(variables.size).toBeGreaterThan(10);
    const rows = tableRows(read('README.md'));
    const documented = [...rows.keys()].filter((name) => /^[A-Z][A-Z_]+$/.test(name));
    expect(documented.sort()).toEqual([...variables].sort());
  });

  it('links between the documents point at files and headings that exist', () => {
    const files = ['README.md', 'docs/architecture.md', 'docs/operations.md', 'docs/api.md'];
    for (const file of files) {
      for (const match of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        const [relative, anchor] = target.split('#') as [string, string | undefined];
        const resolved = relative ? path.join(path.dirname(file), relative) : file;
        expect(fs.existsSync(path.join(ROOT, resolved)), `${file} links to ${target}`).toBe(true);
        if (anchor) {
          const headings = [...read(resolved).matchAll(/^#+\s+(.*)$/gm)].map((heading) => slug(heading[1]!));
          expect(headings, `${file} links to ${target}`).toContain(anchor);
        }
      }
    }
  });
});
