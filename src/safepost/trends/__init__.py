"""Trend context: providers, hashtag reading and resolution against a snapshot."""
