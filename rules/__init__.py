"""Extraction rules: data files in rules/data/ plus the small engines that apply them."""
