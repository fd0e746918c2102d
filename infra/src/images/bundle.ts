import { build } from 'esbuild';
import { join } from 'node:path';

/**
 * Lets an ES module bundle load the CommonJS code it inlines (kafkajs, mongoose, ...), which calls
 * `require` for Node's built-ins: esbuild's ESM output has no `require` of its own.
 */
const REQUIRE_SHIM =
  "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);";

/**
 * Bundles a service's `src/main.ts` with everything it imports (the workspace's TypeScript packages
 * and the npm packages alike) into `dist/main.js`, so an image needs Node and that file, no
 * node_modules, no tsx. Whole-bundling is safe here because tracing is manual (no OpenTelemetry
 * instrumentation patches `require`); the source map carries no sources, only the mappings that
 * `--enable-source-maps` needs for stack traces. A native addon (`@node-rs/argon2`'s `.node` file)
 * cannot be inlined: the `copy` loader puts it beside the bundle and points the `require` there,
 * so `dist/` stays the whole image payload. It is the build machine's platform's addon, which is
 * the image's, since the image's build stage runs the build.
 */
export async function bundleService(serviceDir: string): Promise<{ outfile: string; bytes: number }> {
  const outfile = join(serviceDir, 'dist', 'main.js');
  const result = await build({
    entryPoints: [join(serviceDir, 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    sourcesContent: false,
    banner: { js: REQUIRE_SHIM },
    loader: { '.node': 'copy' },
    metafile: true,
    logLevel: 'warning',
  });
  const bytes =
    Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('main.js'))?.[1].bytes ?? 0;
  return { outfile, bytes };
}
