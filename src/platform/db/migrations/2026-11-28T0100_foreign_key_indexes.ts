// Every foreign key gets an index led by its columns: deleting a user (or an experiment) has the
// database find the rows that point at it, and without an index each delete reads the whole table.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX board_collaborators_invited_by_idx ON board_collaborators (invited_by) WHERE invited_by IS NOT NULL;
    CREATE INDEX experiment_exposures_user_idx ON experiment_exposures (user_id);
    CREATE INDEX experiments_created_by_idx ON experiments (created_by) WHERE created_by IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX board_collaborators_invited_by_idx, experiment_exposures_user_idx, experiments_created_by_idx`.execute(db);
}
