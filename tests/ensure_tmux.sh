#!/bin/sh
# tmux for tests/test_interrupt.py (Ctrl-C in a real terminal): installed with apt where it is missing
# (CI runs as root on Debian); elsewhere a note, and those tests are skipped.
command -v tmux >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get install -y -q tmux || (apt-get update -q && apt-get install -y -q tmux)) >/dev/null && exit 0
fi
echo "tests/ensure_tmux.sh: tmux is missing and cannot be installed here; the Ctrl-C tests will be skipped" >&2
