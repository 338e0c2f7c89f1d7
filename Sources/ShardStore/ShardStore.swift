// ShardStore module.
