from evidencekb.cli import run

run()
