"""What the indexing and the answering sides share: the models at the seams, errors, text and its analysis (one
tokenizer for documents and questions, as Lucene shares one analyzer between its writer and its searcher), BM25,
the saved index's reader, and the names documents go by (regions, years, kinds, bodies).

Imports nothing of `retrieval.indexing` or `retrieval.answering` (tests/test_cli.py holds the rule).
"""
