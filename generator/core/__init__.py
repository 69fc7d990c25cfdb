"""The vocabulary every stage shares: models, errors, addresses, slugs, dates."""
