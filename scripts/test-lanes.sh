#!/bin/sh
# `npm test`: the two lanes at once. The SQLite lane is mostly Chromium and the PostgreSQL lane mostly servers, so on
# two cores the PostgreSQL lane (20 min here) fits beside the SQLite lane (46 min) instead of after it, which came
# to over an hour. The PostgreSQL lane's output follows the SQLite lane's; the run fails when either lane fails. Every test
# names its own PostgreSQL schemas, NATS streams and temporary files after its process, so the lanes do not meet.
set -u
log=$(mktemp)
trap 'rm -f "$log"' EXIT
npm run -s test:pg >"$log" 2>&1 &
pg=$!
npm run -s test:sqlite
sqlite=$?
wait "$pg"
postgres=$?
echo "# ---- the PostgreSQL lane (npm run test:pg), run beside the SQLite lane ----"
cat "$log"
echo "# SQLite lane: exit $sqlite; PostgreSQL lane: exit $postgres"
[ "$sqlite" -eq 0 ] && [ "$postgres" -eq 0 ]
