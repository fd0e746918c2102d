/** Prints, for each `.cpuprofile` named on the command line, the busy time by owner and the top self-time functions. */
import { readFile } from 'node:fs/promises';
import { selfTimeByOwner, topSelfTime, type CpuProfile } from './cpu-profile.js';

for (const file of process.argv.slice(2)) {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  console.log(`\n${file}\n| self ms | % of busy | owner |\n| ---: | ---: | --- |`);
  for (const { frame, ms, percent } of selfTimeByOwner(profile).slice(0, 20))
    console.log(`| ${ms} | ${percent} | ${frame} |`);
  console.log(`\n| self ms | % | function |\n| ---: | ---: | --- |`);
  for (const { frame, ms, percent } of topSelfTime(profile, 20))
    console.log(`| ${ms} | ${percent} | ${frame} |`);
}
