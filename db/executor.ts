import type { Transaction } from 'kysely';
import type { Database } from './database';
import type { DB } from './schema';

/** What a repository runs its SQL on: the pool, or the caller's transaction. */
export type Executor = Database | Transaction<DB>;
