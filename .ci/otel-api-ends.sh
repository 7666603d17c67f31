#!/usr/bin/env bash
# The tracing tests against the oldest and the newest @opentelemetry/api that
# @periscope/instrument's peer range admits (both looked up in the registry now, so a new 1.x
# release is tested the day it appears). Each version is installed in place of the locked one
# (--no-save: package.json and the lockfile stay as they are, the rest of the tree as locked; the hoisted copy is the only copy, so
# the package, the OpenTelemetry SDK packages and the forked test services all load it), the
# tracing tests run, and the locked version is put back at the end, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

range=$(node -p "require('./packages/instrument/package.json').peerDependencies['@opentelemetry/api']")
locked=$(node -p "JSON.parse(require('fs').readFileSync('node_modules/@opentelemetry/api/package.json','utf8')).version")
versions=$(npm view "@opentelemetry/api@$range" version --json | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const v=[].concat(JSON.parse(s));console.log(v[0]+' '+v[v.length-1])})")
read -r oldest newest <<<"$versions"
echo "@opentelemetry/api peer range $range: oldest $oldest, newest $newest (locked $locked)"

restore() { npm install --no-save --no-audit --no-fund "@opentelemetry/api@$locked" >/dev/null; }
for v in $(printf '%s\n' "$oldest" "$newest" | sort -u); do
  if [ "$v" = "$locked" ]; then
    echo "@opentelemetry/api $v is the locked version: the main test run covered it"
    continue
  fi
  trap restore EXIT
  npm install --no-save --no-audit --no-fund "@opentelemetry/api@$v" >/dev/null
  node -e "const v=JSON.parse(require('fs').readFileSync('node_modules/@opentelemetry/api/package.json','utf8')).version; if (v !== '$v') { console.error('expected @opentelemetry/api $v, got ' + v); process.exit(1) } console.log('tracing tests on @opentelemetry/api ' + v)"
  node_modules/.bin/vitest run packages/instrument/test/tracing packages/instrument/test/chain.test.ts
done
