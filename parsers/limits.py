"""Caps on what one input may cost: each one exceeded becomes a clear failures row, never a hang or an
out-of-memory kill. Every cap is a CLI option (`xxgk extract --help`); the defaults are generous: real
reports are 20 KB–5 MB with tables of a few hundred cells.

The runner sets the caps of its run in each process that extracts (`use`); the parser reads them
with `current()`.
"""
from __future__ import annotations

from dataclasses import dataclass

MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    max_input_bytes: int = 100 * MIB  # a local input file
    max_record_bytes: int = 100 * MIB  # a WARC record's payload or an HTTP body, decompressed
    max_table_cells: int = 100_000  # one table's grid, spans expanded
    timeout: float = 300.0  # seconds per input in a worker process (0: none)


_current = Limits()


def use(limits: Limits) -> None:
    """Make `limits` the caps of this process."""
    global _current
    _current = limits


def current() -> Limits:
    return _current


def size_text(n: int) -> str:
    return f"{n / MIB:.1f} MiB" if n >= MIB else f"{n} bytes"
