"""Corpus modules: each parses one corpus' on-disk layout into records.

A corpus module ``serda/corpora/<name>.py`` defines

* ``DESCRIPTION``: one line for ``--help`` and the README table;
* ``OPTIONS``: {name: (default, help)} of the options ``load`` accepts
  (``prepare_data --opt name=value``; anything else is refused);
* ``load(root, **options) -> CorpusRecords``: parse the layout and labels,
  raising :class:`LayoutError` when ``root`` does not look like the corpus
  and :class:`~serda.errors.InputError` (file:line) on a malformed label.

Helpers shared by the modules live in :mod:`serda.corpora._layout`.

:mod:`serda.corpora.prepare` turns the records into Kaldi data
directories; modules are found by name, nothing to register.
"""
import importlib
import pkgutil
from dataclasses import dataclass, field

from serda.errors import SerdaError

NOT_CORPORA = {"prepare", "records"}


class LayoutError(SerdaError):
    """``root`` does not have the layout the corpus module expects."""


@dataclass
class UttRecord:
    """One utterance as data preparation found it.

    ``wav``: the wav.scp value (a path, or a command ending in ``|``);
    ``dims``: dimensional labels on the corpus' own scale; ``emo``: the
    normalised category and ``emo_native`` the corpus' own code.
    ``source``: file and line it came from, for error messages.
    ``segment``: ``(recording, start_s, end_s)`` when the utterance is a
    stretch of a longer recording (``wav`` is then the recording's audio).
    ``extra``: further per-utterance tables, ``{"naturalness": "3.2"}``
    becoming ``utt2naturalness``.
    """
    utt: str
    speaker: str
    split: str
    wav: str
    gender: str = None
    lang: str = None
    emo: str = None
    emo_native: str = None
    dims: dict = field(default_factory=dict)
    text: str = None
    source: str = None
    segment: tuple = None
    extra: dict = field(default_factory=dict)


@dataclass
class CorpusRecords:
    """Everything a corpus module found: records plus what it left out.

    ``skipped``: (id or path, reason) pairs reported by data preparation;
    ``attributes``: contents of attributes.yaml shared by every split
    (corpus, language, label scales, protocol); ``expected_counts``: split ->
    official utterance count (``"all"``: the total), compared and warned
    about when different; ``options``: the options it was loaded with;
    ``notes``: lines data preparation prints (fixes applied, checks made).
    """
    name: str
    records: list
    attributes: dict
    skipped: list = field(default_factory=list)
    expected_counts: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)


def available():
    """Names of the corpus modules."""
    import serda.corpora as pkg
    return sorted(m.name for m in pkgutil.iter_modules(pkg.__path__)
                  if m.name not in NOT_CORPORA and not m.name.startswith("_"))


def get_corpus(name):
    """The corpus module ``name``; ValueError listing known ones otherwise."""
    if name not in available():
        raise ValueError(f"unknown corpus '{name}' (known: {', '.join(available())})")
    return importlib.import_module(f"serda.corpora.{name}")
