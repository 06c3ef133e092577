"""Bytes → Document: decoding, cleaning, HTML body detection, table grids, text lines."""
