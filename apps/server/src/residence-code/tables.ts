import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** Tables of issue 8, typed here so the shared schema file stays untouched. */
export type ResidenceCodeTables = {
  residence_keys: {
    kid: string;
    public_key: string;
    private_key: string;
    sign_from: string;
    sign_until: string;
    verify_until: string;
    created_at: string;
  };
  residence_secrets: { name: string; value: string };
};

export type ResidenceDb = Kysely<Database & ResidenceCodeTables>;

export function residenceDb(db: Kysely<Database>): ResidenceDb {
  return db.withTables<ResidenceCodeTables>();
}
