"""`python -m xxgk …` is the `xxgk` command."""
from xxgk.pipeline.cli import app

app(prog_name="xxgk")
