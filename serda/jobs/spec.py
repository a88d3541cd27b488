"""Parse a Kaldi-style job line: ``[options] [JOB=a:b] <log> <command...>``,
or ``[options] --tasks FILE``: a list of independent tasks, one per line
``<log path><TAB><shell command line>`` (how the driver submits every
system of every experiment of a wave at once)."""
import re
import shlex
from dataclasses import dataclass, field

RANGE_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(\d+):(\d+)$")

# Options every backend accepts (value-taking); a backend may ignore some.
OPTIONS = ("max-jobs-run", "num-threads", "mem", "gpu", "time", "config", "tasks")


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
        tasks: [(log path, shell command line)] of a task list (``--tasks``);
            then ``log_path`` and ``command`` of task k are its k-th line.
    """
    options: dict = field(default_factory=dict)
    var: str = None
    start: int = 1
    end: int = 1
    log: str = ""
    words: list = field(default_factory=list)
    tasks: list = None

    @property
    def task_ids(self):
        return list(range(self.start, self.end + 1))

    def _sub(self, text, task_id):
        return text.replace(self.var, str(task_id)) if self.var else text

    def log_path(self, task_id):
        if self.tasks is not None:
            return self.tasks[task_id - 1][0]
        return self._sub(self.log, task_id)

    def command(self, task_id):
        """The shell command line of task ``task_id``.

        Words that are a single shell token pass unchanged (so ``\\|`` from
        the caller becomes a pipe); words with spaces or quotes are quoted,
        as Kaldi's run.pl does. A task list's lines are shell lines already.
        """
        if self.tasks is not None:
            return self.tasks[task_id - 1][1]
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
    if "tasks" in spec.options:
        if argv:
            raise JobSpecError("--tasks FILE takes no job range, log or command: "
                               f"'{' '.join(argv)}'")
        spec.tasks = read_task_list(spec.options["tasks"])
        spec.end = len(spec.tasks)
        return spec
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


def read_task_list(path):
    """[(log, command)] from a task list file, one ``<log><TAB><command>`` per
    line; a malformed line is an error naming the file and line."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise JobSpecError(f"--tasks {path}: cannot read it ({err})") from None
    tasks = []
    for number, line in enumerate(lines, 1):
        log, tab, command = line.partition("\t")
        if not tab or not log.strip() or not command.strip():
            raise JobSpecError(f"{path}:{number}: not '<log file><TAB><command>': '{line}'")
        tasks.append((log, command))
    if not tasks:
        raise JobSpecError(f"--tasks {path}: the file has no tasks")
    return tasks
