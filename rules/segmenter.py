"""jieba segmentation with the dictionary in a static trie: the same words, about 4 MB instead of 62 MB per process.

Why: jieba.Tokenizer keeps its dictionary in FREQ, a Python dict of 498k str keys (the 349k words of dict.txt plus
every prefix of every word, at frequency 0): about 62 MB of RSS in every worker process. Here the words are a
marisa-trie (1.2 MB) plus an array of their frequencies (2.8 MB), memory-mapped from a cache file, so worker
processes also share the pages.

Same segmentation: on jieba's cut path the dictionary is read only by get_DAG (the words starting at each position)
and calc (each word's log frequency over the total). Segmenter overrides those two; jieba's own cut code runs as is.
The words, frequencies and total are taken from a real jieba Tokenizer with the userdict loaded, once, when the cache
file is built, so jieba's arithmetic holds by construction: a word listed twice in dict.txt keeps the last frequency
but both count in the total; a userdict word already in dict.txt takes the userdict frequency while the total keeps
the old one too; frequency-0 entries are not words.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import logging
import mmap
import os
import struct
import subprocess
import sys
import tempfile
from array import array
from math import log
from pathlib import Path

import marisa_trie


def _import_jieba():
    """jieba 0.42 imports pkg_resources (0.2-0.7 s of set-up) only to open its own data files; while it is
    hidden, jieba opens them by path (its own fallback). Later imports of pkg_resources work as before."""
    hide = "pkg_resources" not in sys.modules
    if hide:
        sys.modules["pkg_resources"] = None  # an import of it raises ImportError
    try:
        import jieba
    finally:
        if hide:
            del sys.modules["pkg_resources"]
    return jieba


jieba = _import_jieba()

# Keys are UTF-32 bytes, one fixed width for every character, so the word starting at character k starts at byte 4k
# and a matched prefix of n bytes is n // 4 characters (binary keys: about twice as fast as str keys, no decoding).
ENCODING, WIDTH = "utf-32-le", 4
FORMAT = b"XXGKSEG1"
# cache file: header (format, jieba total, word count, longest word in characters, trie size, payload digest),
# then the trie, then the frequencies (int64, indexed by trie key id). Sizes are multiples of 8: aligned reads.
HEADER = struct.Struct("<8s4Q16s8x")


class Segmenter(jieba.Tokenizer):
    """A jieba Tokenizer with dict.txt + `userdict`, its dictionary read from a cache file in `cache_dir` (built
    there on first use). Read-only: add_word/load_userdict/del_word raise; change the userdict file instead."""

    def __init__(self, userdict: str | os.PathLike, cache_dir: str | os.PathLike | None = None):
        super().__init__()
        self.userdict = Path(userdict)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()

    def initialize(self, dictionary=None):
        if dictionary is not None:
            raise ValueError("Segmenter always uses jieba's dict.txt plus its userdict")
        with self.lock:
            if self.initialized:
                return
            self.cache_file = self.cache_dir / f"xxgk-jieba-{_inputs_digest(self.userdict)}.trie"
            self._buffer = _load_or_build(self.cache_file, self.userdict)
            self.total, self._longest, self._trie, self._freq = _unpack(self._buffer)
            self.FREQ = _Frequencies(self._trie, self._freq)
            # a trie lookup costs ~4 dict lookups; report text repeats its words, so the last 8192 words' log
            # frequencies (about 1 MB) are kept: lcut is then as fast as jieba's
            self._log_freq = functools.lru_cache(maxsize=8192)(self._word_log_freq)
            self.initialized = True

    def get_DAG(self, sentence):
        """jieba's DAG, {k: ends of the words starting at character k, or [k]}: one trie walk per position, on a slice
        capped at the longest word."""
        self.check_initialized()
        text = sentence.encode(ENCODING)
        span = self._longest * WIDTH
        prefixes = self._trie.prefixes
        dag = {}
        for k in range(len(sentence)):
            words = prefixes(text[k * WIDTH:k * WIDTH + span])  # shortest first, as jieba's
            if len(words) == 1:  # the common case, without building a comprehension
                dag[k] = [k + len(words[0]) // WIDTH - 1]
            else:
                dag[k] = [k + len(w) // WIDTH - 1 for w in words] or [k]
        return dag

    def calc(self, sentence, DAG, route):
        """jieba's calc: route[k] = (best log probability of sentence[k:], end of its first word), with the same
        float operations in the same order, so the same ties and the same result."""
        N = len(sentence)
        route[N] = (0, 0)
        logtotal = log(self.total)
        log_freq = self._log_freq
        for idx in range(N - 1, -1, -1):
            best = None
            for x in DAG[idx]:
                candidate = (log_freq(sentence[idx:x + 1]) - logtotal + route[x + 1][0], x)
                if best is None or candidate > best:  # max() as jieba, without a generator per position
                    best = candidate
            route[idx] = best

    def _word_log_freq(self, word):
        """log of the word's frequency, log(1) when not a word (jieba: log(FREQ.get(word) or 1))."""
        i = self._trie.get(word.encode(ENCODING))
        return log(self._freq[i] if i is not None else 1)

    def add_word(self, word, freq=None, tag=None):
        raise NotImplementedError("Segmenter is read-only: put the word in the userdict file")


class _Frequencies:
    """Read-only stand-in for jieba's FREQ dict, for the jieba code that still reads it (cut with HMM=True,
    cut_for_search, suggest_freq): a word's frequency, 0 for a prefix of a word, else absent, as in jieba's dict.
    One difference: an entry of frequency 0 that starts no word reads as absent here, 0 in jieba (both falsy)."""

    def __init__(self, trie, freq):
        self._trie, self._freq = trie, freq

    def get(self, word, default=None):
        key = word.encode(ENCODING)
        i = self._trie.get(key)
        if i is not None:
            return self._freq[i]
        is_prefix = next(self._trie.iterkeys(key), None) is not None
        return 0 if is_prefix else default

    def __contains__(self, word):
        return self.get(word) is not None

    def __getitem__(self, word):
        f = self.get(word)
        if f is None:
            raise KeyError(word)
        return f


def default_cache_dir() -> Path:
    """The user's own cache directory for xxgk (platformdirs): $XDG_CACHE_HOME/xxgk, else ~/.cache/xxgk on
    Linux, ~/Library/Caches/xxgk on macOS. Never a shared temp directory: a file another user created
    there cannot be replaced, and one they could write could be swapped under us."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("xxgk", appauthor=False))


def _dict_txt() -> Path:
    return Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)


def _inputs_digest(userdict: Path) -> str:
    """Names the cache file: a new file whenever dict.txt, the userdict, jieba, marisa-trie or FORMAT changes."""
    h = hashlib.blake2b(digest_size=8)
    h.update(b"\0".join([FORMAT, jieba.__version__.encode(), importlib.metadata.version("marisa-trie").encode()]))
    for path in (_dict_txt(), userdict):
        with open(path, "rb") as f:
            h.update(hashlib.file_digest(f, "blake2b").digest())
    return h.hexdigest()


def _load_or_build(path: Path, userdict: Path):
    """The cache file memory-mapped; built first if missing or damaged (truncated, corrupt: the sizes or the digest
    do not match). Processes starting together: one builds while the others wait on a lock file (where flock exists),
    and the file is written to a temp file then renamed, so no process ever reads a partial file."""
    try:
        return _check(_map(path))
    except (OSError, ValueError):
        pass
    with contextlib.suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the owner's alone, like ~/.cache
    with _build_lock(path):
        try:  # built by another process while this one waited
            return _check(_map(path))
        except (OSError, ValueError):
            pass
        data = _build(userdict, path.parent)
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
            return _check(_map(path))
        except OSError:  # cache directory not writable: use the built bytes from memory
            logging.getLogger(__name__).warning("cannot write the jieba trie cache %s", path, exc_info=True)
            return _check(data)


@contextlib.contextmanager
def _build_lock(path: Path):
    """An exclusive flock on `path`.lock while building; no lock where flock or the directory is not available."""
    try:
        import fcntl

        lock = open(path.with_name(path.name + ".lock"), "ab")
    except (ImportError, OSError):
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _map(path: Path) -> mmap.mmap:
    with open(path, "rb") as f:
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def _check(buffer):
    """`buffer` if it is a whole cache file of this FORMAT, else ValueError."""
    if len(buffer) < HEADER.size:
        raise ValueError("jieba trie cache: truncated")
    fmt, _, words, _, trie_size, digest = HEADER.unpack_from(buffer)
    payload = memoryview(buffer)[HEADER.size:]
    if fmt != FORMAT or len(payload) != trie_size + 8 * words or _digest(payload) != digest:
        raise ValueError("jieba trie cache: wrong format, size or digest")
    return buffer


def _digest(payload) -> bytes:
    return hashlib.blake2b(payload, digest_size=16).digest()


def _unpack(buffer):
    """(total, longest word, trie, frequencies) of a checked cache file, read in place."""
    _, total, words, longest, trie_size, _ = HEADER.unpack_from(buffer)
    view = memoryview(buffer)
    trie = marisa_trie.BinaryTrie()
    trie.map(view[HEADER.size:HEADER.size + trie_size])
    return total, longest, trie, view[HEADER.size + trie_size:].cast("q")


def _build(userdict: Path, cache_dir: Path) -> bytes:
    """A cache file's bytes, made in a child process: jieba's dict takes 60 MB while the trie is built, and Python
    keeps most of that after it is freed (measured: +49 MB RSS for the rest of the process), so a worker never
    loads it. About 2 s, once per machine and userdict."""
    child = subprocess.run([sys.executable, "-m", "xxgk.rules.segmenter", str(userdict), str(cache_dir)],
                           capture_output=True)
    if child.returncode:
        raise RuntimeError(f"building the jieba trie failed:\n{child.stderr.decode(errors='replace')}")
    return child.stdout


def _cache_bytes(userdict: Path, cache_dir: Path | None = None) -> bytes:
    """The cache file: the words of non-zero frequency and the total of a real jieba Tokenizer with the userdict
    loaded, so exactly jieba's numbers."""
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    if cache_dir is not None and cache_dir.is_dir():  # jieba's own cache: there too, not in /tmp
        tk.tmp_dir = str(cache_dir)
    tk.initialize()
    tk.load_userdict(str(userdict))
    words = [(w.encode(ENCODING), f) for w, f in tk.FREQ.items() if f]  # frequency 0: a prefix, not a word
    trie = marisa_trie.BinaryTrie(w for w, _ in words)
    freq = array("q", bytes(8 * len(trie)))
    for w, f in words:
        freq[trie.key_id(w)] = f
    trie_bytes = trie.tobytes()
    trie_bytes += bytes(-len(trie_bytes) % 8)  # keeps the frequencies 8-byte aligned
    payload = trie_bytes + freq.tobytes()
    longest = max(len(w) for w, _ in words) // WIDTH
    return HEADER.pack(FORMAT, tk.total, len(trie), longest, len(trie_bytes), _digest(payload)) + payload


if __name__ == "__main__":  # the child process of _build
    sys.stdout.buffer.write(_cache_bytes(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None))
