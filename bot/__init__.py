"""The Telegram bot and the `qabot` command line, on top of the `retrieval` library."""
