// npm run graphql:schema: writes the schema's SDL to schema.graphql at the repository root.
import fs from 'node:fs/promises';
import { printGraphqlSchema } from './schema.js';

export const SCHEMA_FILE = new URL('../../schema.graphql', import.meta.url);

if (import.meta.url === `file://${process.argv[1]}`) {
  await fs.writeFile(SCHEMA_FILE, printGraphqlSchema());
  console.log(`wrote ${SCHEMA_FILE.pathname}`);
}
