// Reranking module.
