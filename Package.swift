// swift-tools-version:6.0
// The indexer package: C wrappers at the bottom, the `indexer` command at the top, and
// every arrow pointing down (see shared DESIGN.md and docs/ARCHITECTURE.md).
import PackageDescription

// Inference: the vector kernels are ~100× slower unoptimised, so they are optimised in debug
// too (the golden tests stay fast); on x86-64 they use AVX2 (8-lane SIMD, ~9% faster
// end to end, measured with scripts/bench-encode). Lane-wise IEEE arithmetic without FMA
// contraction gives bitwise the same vectors with or without AVX2.
#if arch(x86_64)
    let inferenceSettings: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug)), .unsafeFlags(["-Xcc", "-mavx2"])]
#else
    let inferenceSettings: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
#endif

let package = Package(
    name: "indexer",
    products: [
        .executable(name: "indexer", targets: ["indexer"]),
        .library(
            name: "IndexerKit",
            targets: [
                "Formats", "Tokenization", "Inference", "ShardStore",
                "Lexical", "Retrieval", "Reranking", "Evaluation", "Jobs", "Indexing",
            ]),
    ],
    targets: [
        // System libraries from Debian (scripts/setup installs them).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Linux system calls Glibc's Swift module lacks (an atomic folder swap); header only.
        .systemLibrary(name: "CSystem", path: "Sources/CSystem"),

        // int8 / bf16 dense-layer kernels with run-time ISA dispatch (AVX-512 VNNI and BF16, AVX2,
        // portable C); AVX-512 code only inside target-attributed functions. No FMA contraction:
        // the epilogue is the same IEEE sequence on every path (docs/QUANTISATION.md).
        .target(
            name: "CInferenceKernels", path: "Sources/CInferenceKernels",
            cSettings: [.unsafeFlags(["-O3", "-ffp-contract=off"])]),

        // Shared file formats (corpus, queries, TREC runs, qrels, .npy), errors, atomic writes.
        .target(name: "Formats", dependencies: ["CZlib", "CSystem"]),
        // tokenizer.json pipelines as HF tokenizers defines them; optimised in debug too, so that the
        // golden test over every text of the three shared collections stays a few seconds.
        .target(
            name: "Tokenization", dependencies: ["Formats"],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // safetensors, tensor kernels over BLAS, the BERT encoder, bi- and cross-encoders.
        .target(
            name: "Inference", dependencies: ["CBLAS", "CInferenceKernels", "Tokenization", "Formats"],
            swiftSettings: inferenceSettings),
        // Shard file format, block codecs, vector encodings, manifest, writer, reader.
        .target(name: "ShardStore", dependencies: ["CZstd", "CLZ4", "Formats"]),
        // English analysis, the per-shard inverted index (shard sections), BM25 with global statistics.
        .target(name: "Lexical", dependencies: ["ShardStore", "Formats"]),
        // Fixed-order inner-product kernels (one FMA chain a score: bitwise stable); always optimised.
        .target(name: "CDenseKernels", path: "Sources/CDenseKernels", cSettings: [.unsafeFlags(["-O3"])]),
        // Top-N fan-out and merge, fusion, BM25.
        .target(name: "Retrieval", dependencies: ["ShardStore", "Lexical", "Inference", "Formats", "CDenseKernels"]),
        // The index build driver: corpus -> embeddings -> shards, sharding rule, resume.
        .target(name: "Indexing", dependencies: ["ShardStore", "Lexical", "Inference", "Formats"]),
        // Bounded per-query cross-encoder reranking.
        .target(name: "Reranking", dependencies: ["ShardStore", "Inference", "Formats"]),
        // trec_eval-exact metrics and the decision report.
        .target(name: "Evaluation", dependencies: ["Formats"]),
        // Job files, step fingerprints, run log.
        .target(name: "Jobs", dependencies: ["Formats", "ShardStore", "Inference", "Indexing", "Retrieval", "Reranking", "Evaluation"]),
        // The command layer: parse, validate, call one library entry point, map errors to exits.
        .executableTarget(
            name: "indexer",
            dependencies: [
                "Formats", "Tokenization", "Inference", "ShardStore", "Lexical", "Retrieval", "Reranking",
                "Evaluation", "Jobs", "Indexing",
            ]),

        // Helpers shared by the test targets (temporary folders, a seeded generator, a loopback HTTP
        // server, the indexer process runner, the tiny checkpoints' paths); not part of any product.
        .target(name: "TestSupport", dependencies: ["Formats"], path: "Tests/TestSupport"),
        .testTarget(name: "FormatsTests", dependencies: ["TestSupport", "Formats", "CZlib"]),
        .testTarget(
            name: "TokenizationTests", dependencies: ["TestSupport", "Tokenization", "Formats"],
            resources: [.copy("Golden")]),
        .testTarget(
            name: "InferenceTests", dependencies: ["TestSupport", "Inference", "Tokenization", "Formats"],
            resources: [.copy("Golden")]),
        .testTarget(name: "ShardStoreTests", dependencies: ["TestSupport", "ShardStore", "Formats"]),
        .testTarget(name: "IndexingTests", dependencies: ["TestSupport", "Indexing", "Lexical", "ShardStore", "Inference", "Formats"]),
        .testTarget(
            name: "LexicalTests", dependencies: ["TestSupport", "Lexical", "ShardStore", "Formats", "Evaluation"],
            resources: [.copy("Golden")]),
        .testTarget(
            name: "RetrievalTests",
            dependencies: ["TestSupport", "Retrieval", "Lexical", "ShardStore", "Inference", "Indexing", "Formats", "Evaluation", "CDenseKernels"]),
        .testTarget(
            name: "RerankingTests", dependencies: ["TestSupport", "Reranking", "Inference", "ShardStore", "Formats"],
            resources: [.copy("Golden")]),
        .testTarget(
            name: "EvaluationTests", dependencies: ["TestSupport", "Evaluation", "Formats"],
            resources: [.copy("Golden")]),
        .testTarget(name: "JobsTests", dependencies: ["Jobs", "TestSupport", "Formats", "ShardStore"]),
        .testTarget(name: "IndexerCLITests", dependencies: ["indexer", "Formats", "Evaluation", "Reranking", "TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
