// Fails fast when a script runs on a Node.js older than the packages need (the `engines` floor of
// @periscope/instrument, which every publishable package shares). npm's scripts run on the repo's
// own Node 22 (node_modules/.bin/node); only scripts/run.mjs runs on the machine's Node, from 18 on.
import { readFileSync } from 'node:fs';

const { engines } = JSON.parse(readFileSync(new URL('../packages/instrument/package.json', import.meta.url), 'utf8'));
const floor = engines.node.replace(/^>=\s*/, '');
const [major, minor] = process.versions.node.split('.').map(Number);
const [floorMajor, floorMinor = 0] = floor.split('.').map(Number);
if (major < floorMajor || (major === floorMajor && minor < floorMinor)) {
  console.error(
    `periscope: this script runs on Node.js ${process.versions.node}, but Periscope needs Node.js ${floor} or later.\n` +
      'Run it through npm (npm test, npm run demo), which puts the repo\'s own Node 22 (node_modules/.bin/node) first on PATH,\n' +
      'after `npm ci` has installed it.',
  );
  process.exit(1);
}
