/** Prints the top self-time functions of each `.cpuprofile` named on the command line. */
import { readFile } from 'node:fs/promises';
import { topSelfTime, type CpuProfile } from './cpu-profile.js';

for (const file of process.argv.slice(2)) {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  console.log(`\n${file}\n| self ms | % | function |\n| ---: | ---: | --- |`);
  for (const { frame, ms, percent } of topSelfTime(profile, 20))
    console.log(`| ${ms} | ${percent} | ${frame} |`);
}
