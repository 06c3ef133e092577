"""National template tables (2019 and 2021 formats): template as data, grids, flattened text, values, checks."""
