"""The generic trainer: loop, schedules, checkpoints, selection, logging."""
