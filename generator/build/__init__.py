"""Orchestration: the pipeline, load, plan, tasks, cache, parallelism, staging, search."""
