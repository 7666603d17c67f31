// Fails fast when a script runs on a Node.js older than the one the repo brings (node_modules/.bin/node, Node 22).
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(
    `periscope: this script runs on Node.js ${process.versions.node}, but Periscope needs Node.js 22 or 24.\n` +
      'Run it through npm (npm test, npm run demo), which puts the repo\'s own Node 22 (node_modules/.bin/node) first on PATH,\n' +
      'after `npm ci` has installed it.',
  );
  process.exit(1);
}
