"""Parse a Kaldi-style job line: ``[options] [JOB=a:b] <log> <command...>``."""
import re
import shlex
from dataclasses import dataclass, field

RANGE_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(\d+):(\d+)$")

# Options every backend accepts (value-taking); a backend may ignore some.
OPTIONS = ("max-jobs-run", "num-threads", "mem", "gpu", "time", "config")


class JobSpecError(ValueError):
    """The job line is malformed."""


@dataclass
class JobSpec:
    """One call of the runner.

    Attributes:
        options: option name (as on the command line, without ``--``) -> value.
        var: name of the index variable (``JOB``) or None for a single task.
        start, end: inclusive index range (1, 1 for a single task).
        log: log path template (contains ``var`` when a range is given).
        words: the command words, ``var`` not yet substituted.
    """
    options: dict = field(default_factory=dict)
    var: str = None
    start: int = 1
    end: int = 1
    log: str = ""
    words: list = field(default_factory=list)

    @property
    def task_ids(self):
        return list(range(self.start, self.end + 1))

    def _sub(self, text, task_id):
        return text.replace(self.var, str(task_id)) if self.var else text

    def log_path(self, task_id):
        return self._sub(self.log, task_id)

    def command(self, task_id):
        """The shell command line of task ``task_id``.

        Words that are a single shell token pass unchanged (so ``\\|`` from
        the caller becomes a pipe); words with spaces or quotes are quoted,
        as Kaldi's run.pl does.
        """
        return " ".join(w if re.fullmatch(r"\S+", w) and "'" not in w and '"' not in w
                        else shlex.quote(w)
                        for w in (self._sub(w, task_id) for w in self.words))

    def int_option(self, name, default):
        value = self.options.get(name)
        if value is None:
            return default
        if not str(value).isdigit():
            raise JobSpecError(f"--{name} takes a whole number, not '{value}'")
        return int(value)


def parse_job_args(argv):
    """Parse runner arguments into a :class:`JobSpec`."""
    argv = list(argv)
    spec = JobSpec()
    while argv and argv[0].startswith("--"):
        opt = argv.pop(0)[2:]
        if "=" in opt:
            opt, value = opt.split("=", 1)
        else:
            if not argv:
                raise JobSpecError(f"option --{opt} needs a value")
            value = argv.pop(0)
        if opt not in OPTIONS:
            raise JobSpecError(f"unknown option --{opt} (known: "
                               + ", ".join("--" + o for o in OPTIONS) + ")")
        spec.options[opt] = value
    if argv and RANGE_RE.match(argv[0]):
        var, start, end = RANGE_RE.match(argv.pop(0)).groups()
        spec.var, spec.start, spec.end = var, int(start), int(end)
        if spec.start > spec.end:
            raise JobSpecError(f"empty job range {var}={start}:{end}")
    if len(argv) < 2:
        raise JobSpecError("usage: [options] [JOB=1:N] <log-file> <command> ...")
    spec.log = argv.pop(0)
    spec.words = argv
    if spec.var and spec.end > spec.start and spec.var not in spec.log:
        raise JobSpecError(f"log file '{spec.log}' must contain {spec.var} "
                           "so that the tasks do not share one log")
    return spec
