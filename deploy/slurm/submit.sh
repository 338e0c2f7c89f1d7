#!/bin/bash
# Submits the shard array, then the search/rerank job to start when every array task succeeded.
#   CORPUS=/data/corpus.jsonl.gz QUERIES=/data/queries.jsonl QRELS=/data/qrels.tsv \
#   INDEX=/shared/index RUNS=/shared/runs SHARDS=8 deploy/slurm/submit.sh
set -euo pipefail
here="$(dirname "$0")"
mkdir -p logs
build=$(sbatch --parsable --export=ALL --array=0-$((${SHARDS:-8} - 1)) "$here/build-index.sbatch")
sbatch --export=ALL --dependency=afterok:"$build" "$here/search-rerank.sbatch"
