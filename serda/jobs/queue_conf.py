"""Site configuration of a cluster backend (Kaldi's conf/slurm.conf and
conf/queue.conf format).

::

    command sbatch --export=ALL          # the submit command and fixed flags
    option mem=* --mem-per-cpu=$0        # --mem 4G   -> --mem-per-cpu=4G
    option mem=0                         # --mem 0    -> no flag
    option gpu=* --gres=gpu:$0
    option gpu=0
    default num_threads=1                # used when the job line omits it

Option names use underscores (``num_threads`` for ``--num-threads``);
``$0`` is replaced by the value. An exact ``option name=value`` line wins
over ``name=*``. Site-specific flags (partition, account, QoS) belong on
the ``command`` line. ``max_jobs_run`` is not mapped here: each backend
puts it into its array syntax.
"""
import shlex
from dataclasses import dataclass, field

from serda.errors import InputError


@dataclass
class QueueConf:
    """command: submit argv prefix; options: (name, value or '*') -> flag
    words; defaults: name -> value."""
    path: str
    command: list = field(default_factory=list)
    options: dict = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)

    def flags(self, name, value):
        """Flag words for option ``name`` = ``value``; InputError when the
        conf has no rule for it."""
        if (name, str(value)) in self.options:
            return list(self.options[(name, str(value))])
        if (name, "*") in self.options:
            return [w.replace("$0", str(value)) for w in self.options[(name, "*")]]
        raise InputError(self.path, f"no 'option {name}=...' line for --{name.replace('_', '-')} "
                                    f"{value} (add one to map it to submit flags)")

    def submit_flags(self, given):
        """Flags of every option in ``given`` (name -> value, names with
        underscores) plus the conf's defaults for the others."""
        values = dict(self.defaults)
        values.update(given)
        words = []
        for name in sorted(values):
            words += self.flags(name, values[name])
        return words


def parse_queue_conf(text, path):
    """Parse the conf ``text`` (read from ``path``, for messages)."""
    conf = QueueConf(str(path))
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = shlex.split(line)
        kind = words[0]
        if kind == "command" and len(words) > 1:
            conf.command = words[1:]
        elif kind in ("option", "default") and len(words) > 1 and "=" in words[1]:
            name, value = words[1].split("=", 1)
            if kind == "option":
                conf.options[(name, value)] = words[2:]
            else:
                conf.defaults[name] = value
        else:
            raise InputError(path, "expected 'command ...', 'option name=value flags...' or "
                                   "'default name=value'", lineno, raw)
    if not conf.command:
        raise InputError(path, "no 'command' line")
    return conf
