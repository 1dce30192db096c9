"""From files to the index: reading formats (OCR included), cleaning, an official document's frame, chunks, a
document's facets, and writing, refreshing and compacting the index file.

Imports `retrieval.core` only; nothing here is loaded to answer a question.
"""
