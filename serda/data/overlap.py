"""Speakers shared between data directories (splits must not share any)."""
from itertools import combinations

from serda.data.table import read_table


def shared_speakers(data_dirs):
    """[(dir a, dir b, sorted shared speaker ids)] for every pair that
    shares at least one speaker (speakers read from each utt2spk)."""
    speakers = {d: set(read_table(f"{d}/utt2spk").values()) for d in data_dirs}
    return [(a, b, sorted(speakers[a] & speakers[b]))
            for a, b in combinations(data_dirs, 2) if speakers[a] & speakers[b]]
