import { MongoClient } from 'mongodb';
import { deleteTopicsStartingWith } from '../topics.js';

/** Removes what a namespace's run created: its topics (its groups' dead-letter topics too) and its database. */
export async function dropNamespace(brokers: string[], namespace: string, mongoUrl: string): Promise<void> {
  await deleteTopicsStartingWith(brokers, `${namespace}.`).catch(() => undefined);
  const client = new MongoClient(mongoUrl);
  await client
    .db()
    .dropDatabase()
    .catch(() => undefined);
  await client.close();
}
