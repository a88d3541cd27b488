"""Helpers the corpus modules share: finding files, matching names,
speaker folds, category maps and option parsing.

Every helper that decides to leave something out appends a
``(path or id, reason)`` pair to the ``skipped`` list it is given, so that
data preparation can report it; nothing is dropped silently.
"""
import re
from pathlib import Path

from serda.corpora import LayoutError
from serda.data.folds import fold_protocol, speaker_folds
from serda.errors import SerdaError


def is_hidden(path):
    """True for dot files, including macOS AppleDouble ``._*`` files."""
    return Path(path).name.startswith(".")


def hidden_reason(path):
    name = Path(path).name
    if name.startswith("._"):
        return "AppleDouble metadata file (macOS), not audio"
    return "hidden file"


def _audio_extensions():
    import soundfile as sf
    exts = {".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".aif", ".aiff", ".aifc", ".au",
            ".snd", ".caf", ".w64", ".rf64", ".sph", ".nist", ".voc"}
    if "MP3" in sf.available_formats():
        exts.add(".mp3")
    return frozenset(exts)


AUDIO_EXTENSIONS = _audio_extensions()   # what libsndfile reads, compared lower-cased


def is_audio_name(path):
    return Path(path).suffix.lower() in AUDIO_EXTENSIONS


def audio_files(folder, pattern, skipped, list_others=False):
    """Sorted audio files under ``folder`` matching the glob ``pattern``;
    hidden and AppleDouble files go to ``skipped`` with a reason.

    A pattern ending in ``.wav`` stands for every extension libsndfile
    reads, in any case (``x.WAV``, ``x.flac``, ``x.ogg``): ``"**/*.wav"``
    finds them all. ``list_others``: a file the pattern reaches that is not
    audio goes to ``skipped`` too (a user's folder: nothing vanishes)."""
    any_audio = pattern.lower().endswith(".wav")
    if any_audio:
        pattern = pattern[:-len(".wav")]
    found = []
    for path in sorted(Path(folder).glob(pattern)):
        if not path.is_file():
            continue
        if is_hidden(path):
            skipped.append((str(path), hidden_reason(path)))
        elif not any_audio or is_audio_name(path):
            found.append(path)
        elif list_others:
            skipped.append((str(path), f"not an audio file name (extension "
                                       f"'{path.suffix or 'none'}'; audio: "
                                       f"{' '.join(sorted(AUDIO_EXTENSIONS))})"))
    return found


def match_names(paths, regex, skipped, what):
    """(path, match) for each path whose file name matches ``regex``; the
    others go to ``skipped`` naming the pattern expected."""
    regex = re.compile(regex)
    matched = []
    for path in paths:
        m = regex.match(Path(path).name)
        if m:
            matched.append((path, m))
        else:
            skipped.append((str(path), f"file name does not match the {what} pattern "
                                       f"{regex.pattern}"))
    return matched


def first_dir(root, candidates, expected):
    """The first of ``root/<candidate>`` that is a directory; LayoutError
    quoting ``expected`` when none is."""
    for cand in candidates:
        if (Path(root) / cand).is_dir():
            return Path(root) / cand
    raise LayoutError(f"{root}: none of {', '.join(c or '.' for c in candidates)} "
                      f"is a directory; expected {expected}")


def first_file(root, candidates, expected):
    """The first of ``root/<candidate>`` that is a file, else LayoutError."""
    for cand in candidates:
        if (Path(root) / cand).is_file():
            return Path(root) / cand
    raise LayoutError(f"{root}: none of {', '.join(candidates)} exists; expected {expected}")


def require_root(root):
    root = Path(root)
    if not root.is_dir():
        raise LayoutError(f"{root}: not a directory")
    return root.resolve()


def parse_options(declared, given, corpus):
    """Options for ``corpus`` with defaults filled in and types taken from
    the defaults; an undeclared option is an error naming the known ones."""
    values = {name: default for name, (default, _) in declared.items()}
    for name, raw in given.items():
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise SerdaError(f"corpus '{corpus}' has no option '{name}' (known: {known})")
        values[name] = convert(raw, declared[name][0], f"{corpus} option {name}")
    return values


def convert(raw, default, what):
    """``raw`` (a string from the command line, or already typed) as the
    type of ``default``."""
    if not isinstance(raw, str) or isinstance(default, str) or default is None:
        return raw
    if isinstance(default, bool):
        if raw.lower() in ("true", "yes", "1"):
            return True
        if raw.lower() in ("false", "no", "0"):
            return False
        raise SerdaError(f"{what}: '{raw}' is not true or false")
    try:
        return type(default)(raw)
    except ValueError:
        kind = {"int": "a whole number", "float": "a number"}.get(type(default).__name__,
                                                                  type(default).__name__)
        raise SerdaError(f"{what}: '{raw}' is not {kind}") from None


def map_code(code, table, source, corpus):
    """Normalised category of a corpus code, or InputError naming where."""
    from serda.errors import InputError
    if code not in table:
        raise InputError(source, f"unknown {corpus} emotion code '{code}' "
                                 f"(known: {', '.join(sorted(table))})")
    return table[code]


def assign_folds(records, n_folds):
    """Set ``split`` of every record to its speaker's fold (see
    :func:`speaker_folds`); returns the fold -> speakers table for
    attributes.yaml."""
    spk2gender = {r.speaker: r.gender or "" for r in records}
    spk2fold = speaker_folds(spk2gender, n_folds)
    for r in records:
        r.split = spk2fold[r.speaker]
    return fold_protocol(spk2fold)


def category_attributes(corpus, language, codes, folds, protocol):
    """attributes.yaml content of a corpus labelled by category only."""
    return {"corpus": corpus, "language": language,
            "protocol": protocol, "folds": folds,
            "categories": {native: norm for native, norm in codes.items()}}


def require_records(records, root, expected):
    """LayoutError when a layout was recognised but held no utterance."""
    if not records:
        raise LayoutError(f"{root}: no utterance found; expected {expected}")
    return records


def records_from_names(folders, regex, what, make):
    """(records, skipped) from the audio files in ``folders`` whose names
    match ``regex``: ``make(path, match)`` returns an UttRecord, or a string
    saying why the file is left out."""
    skipped, records = [], []
    files = [p for folder in folders for p in audio_files(folder, "*.wav", skipped)]
    for path, m in match_names(files, regex, skipped, what):
        made = make(path, m)
        if isinstance(made, str):
            skipped.append((str(path), made))
        else:
            records.append(made)
    return records, skipped


def matching_lines(path, prefix, regex, expected):
    """(line number, line, match) for each line of ``path`` starting with
    ``prefix``; one that does not match ``regex`` is an InputError naming
    file, line and the ``expected`` form."""
    from serda.errors import InputError
    found = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            if not line.startswith(prefix):
                continue
            m = regex.match(line.rstrip("\r\n"))
            if not m:
                raise InputError(path, f"malformed {expected}", lineno, line)
            found.append((lineno, line, m))
    return found


def find_dirs(root, accept, expected, also=()):
    """Sorted sub-folders of ``root`` whose names pass ``accept``; when
    ``root`` has none, the first of ``root/<also>`` or a direct sub-folder
    (a wrapper from unpacking) that has some. LayoutError otherwise."""
    for base in (root, *(root / a for a in also), *sorted(p for p in root.iterdir() if p.is_dir())):
        if base.is_dir():
            dirs = sorted(p for p in base.iterdir() if p.is_dir() and accept(p.name))
            if dirs:
                return dirs
    raise LayoutError(f"{root}: no corpus folders found; expected {expected}")
