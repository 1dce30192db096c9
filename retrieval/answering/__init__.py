"""From a question to an answer: parse it once, plan it once (which documents may answer, what the corpus lacks,
which shape the answer takes), retrieve, then shape the answer the front ends render.

Imports `retrieval.core` only, never `retrieval.indexing`.
"""
