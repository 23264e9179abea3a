// Child process for the migration race test: migrates the SQLite file HALL_DB_FILE once.
import { openDatabase } from '../db/connection';
import { migrate } from '../db/migrate';

const file = process.env.HALL_DB_FILE;
if (!file) throw new Error('HALL_DB_FILE is required');
const database = openDatabase({ dialect: 'sqlite', file });
const report = await migrate(database);
await database.close();
process.stdout.write(JSON.stringify(report));
