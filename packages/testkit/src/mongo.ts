import { type Db, MongoClient } from 'mongodb';
import { uniqueName } from './unique-name.js';

/** A database of its own (named after `prefix`) on the server of `baseUrl`, so test files never share collections. */
export function testMongoUrl(baseUrl: string, prefix: string): string {
  return databaseUrl(baseUrl, uniqueName(prefix).replace(/-/g, '_'));
}

/** `baseUrl` pointed at `database`, keeping its host and options. */
export function databaseUrl(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function dropDatabase(mongoUrl: string): Promise<void> {
  await withDatabase(mongoUrl, (db) => db.dropDatabase().then(() => undefined));
}

/** A client on `mongoUrl`'s database, closed once `work` is done. */
export async function withDatabase<T>(mongoUrl: string, work: (db: Db) => Promise<T>): Promise<T> {
  const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    return await work(client.db());
  } finally {
    await client.close();
  }
}
