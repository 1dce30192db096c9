"""Retrieval library: load, clean and chunk policy documents, index them with BM25 and answer from them.

A pure library: nothing here knows about Telegram. The usual entry points are
`retrieval.store.open_index` (load or build an index) and `retrieval.answer.answer` (question + hits -> Answer).
"""
