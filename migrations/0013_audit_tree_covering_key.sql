-- Proofs read about 2 log2(n) nodes of the Merkle tree at scattered positions. With the hash
-- in the key's index, each is read from the index alone (an index-only scan, once vacuum has
-- marked the pages all-visible, which it does for an append-only table), not from the index
-- and then a heap page: half the pages a proof touches in a tree larger than the cache.
ALTER TABLE audit_tree DROP CONSTRAINT audit_tree_pkey,
  ADD CONSTRAINT audit_tree_pkey PRIMARY KEY (level, position) INCLUDE (hash);
