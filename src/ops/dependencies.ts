// The dependencies /readyz and corkboard_dependency_up check: the database always, Redis when
// REDIS_URL is set (see readiness.ts for why only the database makes a process unready).
import { sql } from 'kysely';
import type { Db } from '../platform/db/database.js';
import type { Dependency } from './readiness.js';

export function readinessDependencies(db: Db, pingRedis?: () => Promise<void>): Dependency[] {
  const dependencies: Dependency[] = [
    {
      name: 'database',
      required: true,
      async check() {
        await sql`SELECT 1`.execute(db);
      },
    },
  ];
  if (pingRedis) dependencies.push({ name: 'redis', required: false, check: pingRedis });
  return dependencies;
}
