import { MongoClient } from 'mongodb';
import { uniqueName } from './unique-name.js';

/** A database of its own (named after `prefix`) on the server of `baseUrl`, so test files never share collections. */
export function testMongoUrl(baseUrl: string, prefix: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${uniqueName(prefix).replace(/-/g, '_')}`;
  return url.toString();
}

export async function dropDatabase(mongoUrl: string): Promise<void> {
  const client = new MongoClient(mongoUrl, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}
