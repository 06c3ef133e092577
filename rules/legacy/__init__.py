"""Legacy (2008–2018) statistics appendix: header rules, grids, flattened text, values, nesting."""
