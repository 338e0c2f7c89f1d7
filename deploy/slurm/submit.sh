#!/bin/bash
# Submits the build array (one task a shard), then the search/rerank job, which starts only
# when every build task succeeded and is cancelled if one failed (--kill-on-invalid-dep=yes).
# Settings: deploy/slurm/settings.sh (or the environment). Prints the two job ids.
#
#   deploy/slurm/submit.sh            # build, then search + merge + rerank + eval
#   deploy/slurm/submit.sh search     # search + merge + rerank + eval of an existing index
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/settings.sh"
phase="${1:-all}"
case "$phase" in all|search) ;; *) echo "usage: submit.sh [all|search]" >&2; exit 2 ;; esac
for v in INDEXER MODEL RERANKER CORPUS QUERIES INDEX RUNS LOGS; do
  case "${!v}" in /*) ;; *) echo "submit.sh: $v='${!v}' must be an absolute path (settings.sh)" >&2; exit 2 ;; esac
done
for f in "$INDEXER" "$QUERIES" ${QRELS:+"$QRELS"}; do [ -f "$f" ] || { echo "submit.sh: no file $f" >&2; exit 2; }; done
[ -d "$MODEL" ] || { echo "submit.sh: no model folder $MODEL (MODEL in settings.sh)" >&2; exit 2; }
mkdir -p "$LOGS" "$RUNS"
common=(--parsable --export=ALL ${PARTITION:+--partition="$PARTITION"} --cpus-per-task="$CPUS_PER_TASK"
        --mem-per-cpu="$MEM_PER_CPU")
dependency=()
build=""
if [ "$phase" = all ]; then
  [ -f "$CORPUS" ] || { echo "submit.sh: no file $CORPUS" >&2; exit 2; }
  build=$(sbatch "${common[@]}" --array=0-$((SHARDS - 1)) --time="$BUILD_TIME" \
            --output="$LOGS/build-%A_%a.log" "$here/build-index.sbatch")
  dependency=(--dependency=afterok:"${build%%;*}" --kill-on-invalid-dep=yes)
fi
search=$(sbatch "${common[@]}" "${dependency[@]}" --ntasks="$SEARCH_TASKS" --time="$SEARCH_TIME" \
           --output="$LOGS/search-%j.log" "$here/search-rerank.sbatch")
echo "${build%%;*} ${search%%;*}"
