"""Work that outlives its request: a small runner in each server process, jobs kept in the
record (``rapport/store/jobs.py``), and the handlers it runs (an upload's analysis)."""
