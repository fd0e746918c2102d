import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { InfraError } from '../errors.js';
import { CACHE_DIR, INFRA_DIR, stateDirOf } from '../paths.js';
import { start } from '../processes.js';
import { run, which } from '../shell.js';
import type { LocalServer } from './server.js';

const FERRETDB_VERSION = 'v1.24.0';
/** Names the build-time patches below, so a binary built without them is rebuilt, not reused. */
const FERRETDB_BUILD = `${FERRETDB_VERSION}-update-closes-iter-id-lookup`;
const FERRETDB_BINARY = join(CACHE_DIR, `ferretdb-${FERRETDB_BUILD}`, 'ferretdb');

/** Where the launcher builds FerretDB; private test servers run the same binary. */
export const ferretdbBinary = (): string => FERRETDB_BINARY;

/**
 * FerretDB v1's `update` handler defers closing each statement's query
 * iterator to the end of the whole command (`defer` inside its loop), so
 * every statement that matched a document keeps one SQLite connection of its
 * database's pool (100, fixed) until the command ends. An `update` of ~100
 * matching upserts, as a restarted persistence worker sends when it replays
 * a batch that was already written, or a few such commands at once, takes
 * all 100 and then waits for a 101st: every later write to that database
 * (all services share one) waits forever, and a createIndexes waiting there
 * holds the registry lock that every insert on every database takes. No
 * setting changes the pool, and v1.24.1/v1.24.2 keep the same code: close
 * each statement's iterator once it is applied.
 */
function patchUpdateClosesIterators(vendorDir: string): void {
  const file = join(vendorDir, 'github.com/FerretDB/FerretDB/internal/handler/msg_update.go');
  const applied = '\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)\n';
  replaceExactly(file, '\t\tdefer closer.Close()\n', '', 1);
  replaceExactly(file, applied, `${applied}\t\tcloser.Close()\n`, 1);
}

/**
 * FerretDB v1's SQLite backend finds a document by `_id` only for a filter
 * that is nothing but `{ _id }`, and even then misses its own index: it
 * indexes `_ferretdb_sjson->"_id"` but looks up `_ferretdb_sjson->'$._id'`,
 * the same value, yet SQLite's planner uses an expression index only for the
 * expression it was built on. So every update statement (an edit, a delete,
 * a receipt) scanned the whole collection: past a few thousand messages each
 * took tens of milliseconds, and a worker catching up after an outage fell
 * minutes behind. The patch looks `_id` up by the indexed expression (the
 * label form `->'_id'` is the same path), and also when the filter has more
 * fields: every caller still applies the whole filter to what the lookup
 * returns, and a top-level `_id` equality holds for every document it matches.
 */
function patchIdLookupsUseIndex(vendorDir: string): void {
  const sqlite = join(vendorDir, 'github.com/FerretDB/FerretDB/internal/backends/sqlite');
  replaceExactly(
    join(sqlite, 'metadata/metadata.go'),
    `IDColumn = DefaultColumn + "->'$._id'"`,
    `IDColumn = DefaultColumn + "->'_id'"`,
    1,
  );
  replaceExactly(
    join(sqlite, 'collection.go'),
    'if params.Filter.Len() == 1 {',
    'if params.Filter.Len() >= 1 {',
    2,
  );
}

/** Replaces `from` with `to` in a vendored file, which must hold it exactly `times` times. */
function replaceExactly(file: string, from: string, to: string, times: number): void {
  const source = readFileSync(file, 'utf8');
  if (source.split(from).length !== times + 1) throw new Error(`${file} is not the one the patch expects`);
  writeFileSync(file, source.split(from).join(to));
}

/**
 * FerretDB panics at start unless its embedded build/version/version.txt
 * names a version, and the module zip ships none; so the build vendors the
 * pinned module (infra/ferretdb) in the cache and writes that file there.
 */
async function buildFerretDB(): Promise<void> {
  const buildDir = join(CACHE_DIR, 'ferretdb-build');
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  for (const file of ['go.mod', 'go.sum', 'tools.go'])
    copyFileSync(join(INFRA_DIR, 'ferretdb', file), join(buildDir, file));
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '' };
  await run('go', ['mod', 'vendor'], { cwd: buildDir, env });
  writeFileSync(
    join(buildDir, 'vendor/github.com/FerretDB/FerretDB/build/version/version.txt'),
    FERRETDB_VERSION,
  );
  patchUpdateClosesIterators(join(buildDir, 'vendor'));
  patchIdLookupsUseIndex(join(buildDir, 'vendor'));
  await run(
    'go',
    ['build', '-mod=vendor', '-o', FERRETDB_BINARY, 'github.com/FerretDB/FerretDB/cmd/ferretdb'],
    { cwd: buildDir, env },
  );
  rmSync(buildDir, { recursive: true, force: true });
}

/** `mongod` when one is on PATH, else FerretDB v1 with its SQLite backend, built once from infra/ferretdb. */
export function mongoServer(url: string, external: boolean): LocalServer {
  const dir = stateDirOf('mongo');
  const port = Number(new URL(url).port || 27017);
  const mongod = which('mongod');
  const proc = { pidFile: join(dir, 'mongo.pid'), logFile: join(dir, 'mongo.log'), cwd: dir };
  return {
    name: 'mongo',
    address: url,
    external,
    envVariable: 'MONGODB_URL',
    ports: mongod ? [port] : [port, port + 1],
    process: proc,
    startTimeoutSeconds: 30,
    async install(progress) {
      if (mongod || existsSync(FERRETDB_BINARY)) return;
      if (!which('go'))
        throw new InfraError('INSTALL_FAILED', 'neither mongod nor Go is installed: install one of them');
      progress(`building FerretDB ${FERRETDB_BUILD} with Go (first run only, about 2 minutes)`);
      try {
        await buildFerretDB();
      } catch (error) {
        throw new InfraError('INSTALL_FAILED', `could not build FerretDB: ${(error as Error).message}`);
      }
    },
    spawn() {
      const data = join(dir, 'data');
      mkdirSync(data, { recursive: true });
      if (mongod) {
        start(proc, mongod, ['--dbpath', data, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet']);
        return;
      }
      start(proc, FERRETDB_BINARY, [
        '--handler=sqlite',
        `--sqlite-url=file:${data}/`,
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${port}`,
        `--debug-addr=127.0.0.1:${port + 1}`,
        '--telemetry=disable',
        '--log-level=warn',
      ]);
    },
    async probe() {
      const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000 });
      try {
        await client.connect();
        await client.db().command({ ping: 1 });
        await client.db().collection('__infra_probe').find({}).limit(1).toArray();
      } finally {
        await client.close();
      }
    },
  };
}
