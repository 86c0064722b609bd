#!/bin/sh
# After an import: copy the store to every app host; each host's workers serve it on their next interaction.
#
#   deploy/publish-store.sh app1.jcm.internal app2.jcm.internal
#
# STORE (default: $JCM_DB, else data/jcm.duckdb) goes to REMOTE (default /srv/jcm-dash/jcm.duckdb) on
# each host, over ssh. The store is first copied aside here, so an import that swaps in a newer file
# meanwhile cannot mix two versions. Each host receives the copy under a temporary name in REMOTE's
# folder, checks its sha256, then renames it over the old file: a rename is atomic, so a worker reads
# the old store or the new one, never half a copy, and the new file's inode makes each worker open it
# on its next rerun (jcm_dash/ui/cached.py, store_key). Readers that are mid-run finish on the old file.
set -eu

store=${STORE:-${JCM_DB:-data/jcm.duckdb}}
remote=${REMOTE:-/srv/jcm-dash/jcm.duckdb}
if [ $# -eq 0 ]; then
    echo "usage: $0 HOST... (copies $store to HOST:$remote)" >&2
    exit 2
fi
if [ ! -f "$store" ]; then
    echo "$0: no store at $store" >&2
    exit 2
fi

snapshot=$(mktemp "${TMPDIR:-/tmp}/jcm-store.XXXXXX")
trap 'rm -f "$snapshot"' EXIT
cp "$store" "$snapshot"
sum=$(sha256sum "$snapshot" | cut -d' ' -f1)
incoming="$(dirname "$remote")/.$(basename "$remote").incoming"

for host in "$@"; do
    scp -q "$snapshot" "$host:$incoming"
    ssh "$host" "echo '$sum  $incoming' | sha256sum -c --quiet - && chmod 644 '$incoming' && mv -f '$incoming' '$remote'"
    echo "$host: $remote is now sha256 $sum"
done
