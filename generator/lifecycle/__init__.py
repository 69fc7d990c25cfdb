"""Stage 2: what is shown at `now`: states, the catalog of groups."""
