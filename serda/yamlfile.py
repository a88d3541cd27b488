"""YAML read strictly: a key given twice in one mapping is an error.

PyYAML's ``safe_load`` keeps the last of two equal keys without a word, so
a config with ``lr`` twice, or an attributes.yaml edited by hand with a
second ``corpus:`` line, trains or normalises with a value its author may
not have meant. :func:`load_yaml` reads like ``safe_load`` and raises
:class:`DuplicateKeyError` naming the key and the lines of both.
"""
import yaml


class DuplicateKeyError(yaml.YAMLError):
    """A mapping holds the same key twice; ``line`` is the second one's (1-based)."""

    def __init__(self, key, first, second):
        self.line = second
        super().__init__(f"key '{key}' is given twice (lines {first} and {second}); "
                         "remove one")


class StrictLoader(yaml.SafeLoader):
    """SafeLoader refusing duplicate keys in any mapping."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue          # '<<: *base' then 'key: ...' overrides on purpose
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue          # SafeLoader reports unhashable keys itself
            line = key_node.start_mark.line + 1
            if key in seen:
                raise DuplicateKeyError(key, seen[key], line)
            seen[key] = line
        return super().construct_mapping(node, deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                             StrictLoader.construct_mapping)


def load_yaml(text):
    """The object of YAML ``text`` (as ``yaml.safe_load``); DuplicateKeyError
    (a yaml.YAMLError) when a mapping repeats a key."""
    return yaml.load(text, Loader=StrictLoader)
