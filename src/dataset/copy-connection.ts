// Loading into PostgreSQL with COPY FROM STDIN (pg-copy-streams) instead of INSERT batches: COPY
// parses plain text rather than arrays and writes rows in blocks (one heap and WAL record per block
// of rows instead of one per row), and as a stream it lets the generator render the next rows while
// PostgreSQL stores the previous ones, so the two share the machine's cores. The statements around
// the rows (dropping and rebuilding indexes, the transaction) must run on the same connection as the
// COPY: one pg client serves both, wrapped as a one-connection pool for Kysely.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../platform/db/schema.js';
import type { Db } from '../platform/db/database.js';
import type { CellValue } from './rows.js';

export interface CopyConnection {
  /** Statements on the connection the COPY runs on (a transaction opened here holds it). */
  db: Db;
  /** Streams `chunks` (COPY text rows, see copyRows) into `table` through COPY FROM STDIN. */
  copyIn(table: string, columns: readonly string[], chunks: Iterable<string>): Promise<void>;
  close(): Promise<void>;
}

export async function openCopyConnection(databaseUrl: string): Promise<CopyConnection> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const pooled: PostgresPoolClient = {
    query: ((...args: Parameters<pg.Client['query']>) => client.query(...args)) as PostgresPoolClient['query'],
    release: () => undefined,
  };
  const pool: PostgresPool = { connect: async () => pooled, end: async () => undefined };
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    async copyIn(table, columns, chunks) {
      const names = columns.map((name) => `"${name}"`).join(', ');
      const stream = client.query(copyFrom(`COPY "${table}" (${names}) FROM STDIN`));
      await pipeline(Readable.from(chunks, { objectMode: false }), stream);
    },
    async close() {
      await db.destroy();
      await client.end();
    },
  };
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY's text format: \N for null, backslash escapes for the separators. */
function copyValue(value: CellValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (char) => ESCAPES[char] as string) : value;
}

/** A batch of columns (as TableSource.batch returns it) as COPY text rows. */
export function copyRows(columns: readonly CellValue[][]): string {
  const rows = columns[0]?.length ?? 0;
  let text = '';
  for (let row = 0; row < rows; row += 1) {
    let line = copyValue(columns[0]![row] as CellValue);
    for (let column = 1; column < columns.length; column += 1) line += `\t${copyValue(columns[column]![row] as CellValue)}`;
    text += `${line}\n`;
  }
  return text;
}
