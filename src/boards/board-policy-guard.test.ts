// Only the board policy knows what a privacy means: board-access.ts in TypeScript, and
// board-visibility.sql.ts in SQL (boardReadableBy for a viewer, boardReadableByEveryone for what is
// shared between viewers). A query or a check that compares `privacy` with a value itself is a second
// definition that can drift from the first, as the feed's and timelines' "PUBLIC only" filters once
// were. This fails on any such comparison in the application's source.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '..');

/** Files allowed to compare privacies, and why. */
const ALLOWED = new Map<string, string>([
  ['boards/board-access.ts', 'the policy'],
  ['boards/board-visibility.sql.ts', 'the policy in SQL'],
  // PATCH's v5 response schema has no PROTECTED value: a wire format, not a decision about access.
  ['boards/board.presenter.ts', 'response shape'],
]);

const PRIVACY = `'(?:PUBLIC|PROTECTED|SECRET)'`;
/** A privacy value compared with something, whatever names the privacy (a column, a field, a job's payload). */
const COMPARISONS: readonly RegExp[] = [
  // board.privacy === 'PUBLIC', change.to !== 'SECRET', b.privacy <> 'PROTECTED'
  new RegExp(`(?:===|!==|==|!=|<>)\\s*${PRIVACY}`),
  new RegExp(`${PRIVACY}\\s*(?:===|!==|==|!=|<>|=)`),
  // SQL: b.privacy = 'PUBLIC', ${ref} = 'PUBLIC' (a type annotation's default, BoardPrivacy = 'PUBLIC', is no comparison)
  new RegExp(`(?:\\b[a-z_]\\w*|\\})"?\\s*=\\s*${PRIVACY}`),
  // SQL lists: privacy IN ('PUBLIC', ...)
  new RegExp(`\\bin\\s*\\(\\s*${PRIVACY}`, 'i'),
  // Kysely: .where('boards.privacy', '=', 'PUBLIC')
  new RegExp(`'\\s*,\\s*'(?:=|<>|!=|in|not in)'\\s*,\\s*\\[?\\s*${PRIVACY}`),
  new RegExp(`case\\s+${PRIVACY}`),
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'migrations' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** `file:line: text` of every comparison with a privacy value outside the allowed files. */
function handWrittenPrivacyFilters(root: string): string[] {
  return sourceFiles(root).flatMap((file) => {
    const relative = path.relative(root, file).split(path.sep).join('/');
    if (ALLOWED.has(relative)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (COMPARISONS.some((pattern) => pattern.test(line)) ? [`${relative}:${i + 1}: ${line.trim()}`] : []));
  });
}

describe('board privacy policy', () => {
  it('is the only code that compares privacies', () => {
    expect(sourceFiles(SRC).length, 'the scan finds the source').toBeGreaterThan(100);
    expect(handWrittenPrivacyFilters(SRC)).toEqual([]);
  });

  it('recognises the forms a hand-written filter takes', () => {
    const samples = [
      `WHERE b.privacy = 'PUBLIC' AND p.id > 0`,
      `if (board.privacy === 'PUBLIC') return`,
      `return privacy !== 'SECRET'`,
      `AND b.privacy <> 'PROTECTED'`,
      `WHERE privacy IN ('PUBLIC', 'PROTECTED')`,
      `.where('boards.privacy', '=', 'PUBLIC')`,
      `.where('boards.privacy', 'in', ['PUBLIC'])`,
      `if ('PUBLIC' === change.privacy)`,
      `if (change.to === 'PUBLIC') await reopen()`,
      `if ((await fanout.boardPrivacy(boardId)) === 'PUBLIC') return;`,
      `WHERE \${ref} = 'SECRET'`,
      `case 'PROTECTED':`,
    ];
    for (const sample of samples) expect(COMPARISONS.some((pattern) => pattern.test(sample)), sample).toBe(true);
    const innocent = [
      `privacy: 'PUBLIC',`,
      `const privacy = input.privacy ?? 'PUBLIC';`,
      `privacy: BoardPrivacy = 'PUBLIC'`,
      `PUBLIC_AND_SECRET: ['PUBLIC', 'SECRET'],`,
    ];
    for (const sample of innocent) expect(COMPARISONS.some((pattern) => pattern.test(sample)), sample).toBe(false);
  });
});
