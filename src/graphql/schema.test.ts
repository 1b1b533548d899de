// schema.graphql is the schema the server runs: regenerate it with `npm run graphql:schema`.
import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { printGraphqlSchema } from './schema.js';
import { SCHEMA_FILE } from './print-schema.js';

describe('schema.graphql', () => {
  it('matches the schema built from the code (run `npm run graphql:schema` after changing it)', async () => {
    const checkedIn = await fs.readFile(SCHEMA_FILE, 'utf8');
    expect(checkedIn).toBe(printGraphqlSchema());
  });

  it('gives every Node type a global id and an entityId, and every connection pageInfo', () => {
    const sdl = printGraphqlSchema();
    for (const type of ['User', 'Board', 'BoardSection', 'Pin']) {
      expect(sdl).toMatch(new RegExp(`type ${type} implements Node \\{\\n(?:.*\\n)*?  id: ID!\\n(?:.*\\n)*?  entityId: String!`));
    }
    for (const connection of sdl.matchAll(/type (\w+Connection) \{([^}]*)\}/g)) {
      expect(connection[2], connection[1]).toContain('pageInfo: PageInfo!');
    }
  });
});
