"""Stage 1, reading: which files, their bytes, the cheap gate, the parser screen, the skeleton
of a big file, and the bounds (size, time, stack) that keep one file from stalling a run."""
