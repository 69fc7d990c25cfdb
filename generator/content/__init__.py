"""Stage 1: the site folder → validated models. Knows nothing of caches or output."""
