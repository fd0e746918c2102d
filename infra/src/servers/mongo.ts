import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { InfraError } from '../errors.js';
import { CACHE_DIR, INFRA_DIR, stateDirOf } from '../paths.js';
import { start } from '../processes.js';
import { run, which } from '../shell.js';
import type { LocalServer } from './server.js';

const FERRETDB_VERSION = 'v1.24.0';
const FERRETDB_BINARY = join(CACHE_DIR, `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');

/** Where the launcher builds FerretDB; private test servers run the same binary. */
export const ferretdbBinary = (): string => FERRETDB_BINARY;

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
      progress(`building FerretDB ${FERRETDB_VERSION} with Go (first run only, about 2 minutes)`);
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
