"""Utterance and speaker ids from the names users give, one-to-one.

Kaldi tables are ``<id> <value>`` lines, so an id holds no white space.
Speaker names, file names and corpus names of real corpora hold spaces,
apostrophes and letters beyond ASCII ("Zoë", "Zoe"). :func:`id_part`
keeps letters and digits of any script and ``_ . -``, and writes every
other character as ``%XX`` (its UTF-8 bytes, ``%`` itself included), so
two different names never give the same id and the name can be read back
with :func:`name_of`:

>>> id_part("Zoë K."), id_part("Zoe K."), id_part("50%")
('Zoë%20K.', 'Zoe%20K.', '50%25')
>>> name_of("Zoë%20K.")
'Zoë K.'
"""
from urllib.parse import quote, unquote

KEEP = "_.-"


def id_part(name):
    """``name`` as one component of a Kaldi id (injective: see the module)."""
    return "".join(c if (c.isalnum() or c in KEEP) else quote(c, safe="") for c in str(name))


def name_of(part):
    """The name :func:`id_part` was given."""
    return unquote(part)
