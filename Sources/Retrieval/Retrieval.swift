// Retrieval module.
