"""`python -m xxgk …` is the `xxgk` command."""
from xxgk.pipeline.entry import main

main()
