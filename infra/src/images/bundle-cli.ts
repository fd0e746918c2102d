import { bundleService } from './bundle.js';

const { outfile, bytes } = await bundleService(process.cwd());
console.log(`bundled ${outfile} (${(bytes / 1024 / 1024).toFixed(1)} MiB)`);
