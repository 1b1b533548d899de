// Reads the dataset generator's held-out saves (npm run dataset -- --holdout-users N --holdout-file F;
// docs/dataset.md): one JSON object per line, {user_id, saved_pin_id, board_id, created_at}.
import fs from 'node:fs/promises';

/** Held-out pins per user, in file order of first appearance. */
export async function readHoldout(file: string): Promise<Map<string, Set<string>>> {
  const text = await fs.readFile(file, 'utf8');
  const users = new Map<string, Set<string>>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let row: { user_id?: unknown; saved_pin_id?: unknown };
    try {
      row = JSON.parse(line) as typeof row;
    } catch {
      throw new Error(`${file}:${index + 1}: not JSON`);
    }
    if (typeof row.user_id !== 'string' || typeof row.saved_pin_id !== 'string') {
      throw new Error(`${file}:${index + 1}: expected user_id and saved_pin_id strings`);
    }
    const pins = users.get(row.user_id) ?? new Set<string>();
    pins.add(row.saved_pin_id);
    users.set(row.user_id, pins);
  });
  return users;
}
