"""Stage entry points: ``python -m serda.bin.<name>`` (thin argument parsing)."""
