#!/usr/bin/env bash
# `make run`: the main job on the bundled demo corpus, end to end:
# restore → extract → ingest into a local SQLite ledger → track → serve the dashboard.
set -euo pipefail
db="${1:-demo/luoshi-demo.db}"
host="${2:-127.0.0.1}"
port="${3:-8000}"
luoshi=.venv/bin/luoshi
out=out/demo

echo "== 1/5 restore: demo/corpus → $out/restored"
"$luoshi" restore demo/corpus -o "$out/restored"
echo "== 2/5 extract: demo/corpus → $out/records.jsonl"
"$luoshi" extract demo/corpus -o "$out/records.jsonl"
"$luoshi" extract demo/corpus --format table | head -n 60 || true
echo "== 3/5 ingest into $db"
"$luoshi" ingest demo/corpus --db "$db"
echo "== 4/5 follow-through of every commitment"
"$luoshi" track --db "$db"
echo "== 5/5 dashboard at http://$host:$port (Ctrl-C to stop)"
exec "$luoshi" serve --db "$db" --host "$host" --port "$port"
