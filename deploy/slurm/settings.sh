# Settings of the Slurm recipe: every path and resource in one place, read by submit.sh.
# Each line keeps a value already in the environment, so `SHARDS=4 deploy/slurm/submit.sh`
# overrides one setting; or edit them here. Paths must be absolute and seen by every node.
: "${INDEXER:=/opt/indexer/bin/indexer}"                 # portable binary (scripts/build-portable)
: "${MODEL:=/opt/indexer/models/all-MiniLM-L6-v2}"       # bi-encoder folder
: "${RERANKER:=/opt/indexer/models/indexer-reranker-minilm-l6}"  # cross-encoder folder
: "${CORPUS:=/shared/data/corpus.jsonl}"                 # BEIR corpus.jsonl(.gz) or TSV
: "${QUERIES:=/shared/data/queries.jsonl}"
: "${QRELS:=}"                                           # optional; set: judged queries only, plus eval
: "${INDEX:=/shared/index}"                              # index folder (shards + manifest)
: "${RUNS:=/shared/runs}"                                # partials, merged, reranked runs, metrics
: "${LOGS:=/shared/logs}"                                # Slurm output files
: "${SHARDS:=8}"                                         # shards = build array tasks = partial runs
: "${VECTORS:=int8}"                                     # f32, f16 or int8
: "${TOP_N:=100}"                                        # candidates a query
: "${DEPTH:=50}"                                         # reranked a query
: "${CPUS_PER_TASK:=2}"                                  # CPUs of a build task and of a search step
: "${MEM_PER_CPU:=1500M}"                                # memory a CPU (build tasks, search steps)
: "${SEARCH_TASKS:=4}"                                   # shard searches running at once
: "${PARTITION:=}"                                       # empty: the cluster's default partition
: "${BUILD_TIME:=06:00:00}"                              # time limit of one build task
: "${SEARCH_TIME:=04:00:00}"                             # time limit of the search/rerank job
export INDEXER MODEL RERANKER CORPUS QUERIES QRELS INDEX RUNS LOGS SHARDS VECTORS TOP_N DEPTH \
       CPUS_PER_TASK MEM_PER_CPU SEARCH_TASKS PARTITION BUILD_TIME SEARCH_TIME
