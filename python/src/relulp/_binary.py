"""Finding, checking and running the relulp binary; its error messages become Python exceptions.

The child process dies with Python: it runs in its own process group with PR_SET_PDEATHSIG (Linux) set to
SIGKILL, and a SIGTERM to Python during a run (what `kill`, a scheduler or a dying worker sends) stops the child,
removes the run's temporary folder and then ends Python as SIGTERM would have.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

from sklearn.exceptions import ConvergenceWarning

from ._version import __version__

BUNDLED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bin", "relulp")


class RelulpError(ValueError):
    """relulp refused the input or failed; the message is relulp's own (its `error:` line on stderr), with the
    command-line options named as this package's parameters.

    A ValueError, because what relulp refuses is almost always the data or a parameter (non-finite values,
    too many dual regions, an unknown backend), which is where scikit-learn expects a ValueError.
    """

    def __init__(self, message: str, *, returncode: int | None = None, stderr: str = ""):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


class RelulpNotFoundError(RelulpError):
    """No relulp binary: none bundled in the package, and neither `relulp_path=`, nor the RELULP environment
    variable, nor `relulp` on PATH."""


class RelulpVersionError(RelulpError):
    """The relulp binary found is not the version of this package (`relulp --version` against
    `relulp.__version__`): the model file and the options may differ between versions."""


class ModelFileError(RelulpError):
    """A model file that is not a relulp model (format "relulp-model", version 1) or is inconsistent."""


class NotCertifiedWarning(ConvergenceWarning):
    """relulp stopped without certifying optimality (status other than "optimal": the round limit, the time
    limit, an interruption or a stall): the network is only an upper bound. The relative gap to the lower bound
    (valid over networks of every width) is in `gap`, the status in `status`."""

    def __init__(self, message: str, *, gap: float = float("nan"), status: str = "", lam: float = float("nan")):
        super().__init__(message)
        self.gap = gap
        self.status = status
        self.lam = lam


def _executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_relulp(relulp_path: str | os.PathLike | None = None) -> str:
    """The relulp executable: `relulp_path` if given (an explicit choice wins), else the binary bundled in
    this package's wheel, else $RELULP, else `relulp` on PATH. Its version must be this package's."""
    if relulp_path is not None:
        return _checked(_named(os.fspath(relulp_path), "relulp_path"))
    if _executable(BUNDLED):
        return _checked(BUNDLED)
    if os.environ.get("RELULP"):
        return _checked(_named(os.environ["RELULP"], "the RELULP environment variable"))
    found = shutil.which("relulp")
    if found is None:
        raise RelulpNotFoundError(
            "relulp binary not found: this installation has no bundled binary (install a wheel built by "
            "`make wheel`), no relulp_path= was given, RELULP is not set and `relulp` is not on PATH. To build "
            "one: install Swift and the Debian packages coinor-libclp-dev and libglpk-dev, then run "
            "`swift build -c release` in the repository and set RELULP to .build/release/relulp")
    return _checked(found)


def _named(candidate: str, source: str) -> str:
    if _executable(candidate):
        return candidate
    found = shutil.which(candidate)
    if found:
        return found
    raise RelulpNotFoundError(f"relulp binary not found: {source} names {candidate!r}, which is not an executable file")


_checked_versions: dict = {}


def binary_version(binary: str) -> str:
    """The version `binary --version` prints (its first line, "relulp X.Y.Z"); a RelulpError if it prints
    none. Cached per path and modification time."""
    try:
        stat = os.stat(binary)
        key = (binary, stat.st_mtime_ns, stat.st_size)
    except OSError as error:
        raise RelulpNotFoundError(f"relulp binary {binary!r} cannot be read: {error.strerror}") from None
    if key not in _checked_versions:
        try:
            result = subprocess.run([binary, "--version"], stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                    errors="replace", timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise RelulpError(f"{binary} --version failed: {error}") from None
        match = re.match(r"relulp (\S+)", result.stdout)
        if result.returncode != 0 or match is None:
            raise RelulpError(f"{binary} is not a relulp binary: `--version` printed {result.stdout[:80]!r} and "
                              f"exited with status {result.returncode}")
        _checked_versions[key] = match.group(1)
    return _checked_versions[key]


def _checked(binary: str) -> str:
    version = binary_version(binary)
    if version != __version__:
        raise RelulpVersionError(
            f"relulp binary {binary} is version {version}, this Python package is {__version__}: install the "
            "wheel of the same release, or build the binary from the same commit as the package")
    return binary


# relulp's option names and the estimators' parameter names for them, for messages in Python terms.
_PARAMETERS = {"--max-search-regions": "max_search_regions", "--max-regions": "max_regions",
               "--max-rounds": "max_rounds", "--time-limit": "time_limit", "--tolerance": "tolerance",
               "--backend": "backend", "--pricing": "pricing", "--lambdas": "lams", "--lambda": "lam",
               "--loss": "loss", "--no-bias": "bias=False"}


def in_python_terms(message: str, folder: str | None = None, samples=None) -> str:
    """A relulp message with its option names as parameter names, the Swift library's names dropped, the
    temporary folder's paths shortened to their file names, and "point J" (the J-th row relulp was given) the
    user's point: `samples[J - 1]` is its sample's index in the user's data (0-based)."""
    message = re.sub(r"\s*\(library: [^)]*\)", "", message)
    if samples is not None:
        message = re.sub(r"\bpoint (\d+)\b", lambda m: f"point {int(samples[int(m.group(1)) - 1]) + 1}"
                         if 0 < int(m.group(1)) <= len(samples) else m.group(0), message)
    message = re.sub(r"--(max-search-regions|max-regions|max-rounds|time-limit)[ =](\S+)",
                     lambda m: f"{_PARAMETERS['--' + m.group(1)]}={m.group(2)}", message)
    for option, parameter in _PARAMETERS.items():
        message = re.sub(r"(?<!option ')" + re.escape(option) + r"(?![\w-])", parameter, message)
    if folder:
        message = message.replace(folder + os.sep, "").replace(folder, "the temporary folder")
    return message


def error_message(returncode: int, stderr: str, folder: str | None = None, samples=None) -> str:
    """relulp's own error lines (`error: …`, or argument-parser `Error: …`), else the tail of stderr; `samples`
    as in `in_python_terms`."""
    lines = [line.rstrip() for line in stderr.splitlines()]
    errors = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("error:")]
    if errors:
        return in_python_terms("relulp: " + "; ".join(errors), folder, samples)
    if returncode < 0:  # a crash: the cause is the last line before the crash report (its lines start with ***)
        cause = [line for line in stderr.split("\n***", 1)[0].splitlines() if line.strip()][-1:]
        return f"relulp was killed by signal {-returncode}" + (f": {cause[0].strip()}" if cause else "")
    tail = [line for line in lines if line.strip()][-5:]
    return f"relulp exited with status {returncode}" + (": " + " | ".join(tail) if tail else " and no message")


def _prctl():
    """libc's prctl, looked up once here (not between fork and exec); None where there is none (not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int):
    """Runs in the child between fork and exec: SIGKILL when the parent thread dies (Linux; the thread that
    starts relulp waits for it, so it dies only with the process), and no run at all if the parent is gone."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


# The children and run folders alive now (any thread), for the SIGTERM handler.
_ACTIVE_PROCESSES: set = set()
_ACTIVE_FOLDERS: set = set()
_ACTIVE_GUARD = threading.Lock()


def _terminate(signum, frame):
    """SIGTERM during a fit: kill every relulp child, remove every run folder, then end Python by SIGTERM with
    its default action, as it would have ended without this handler."""
    with _ACTIVE_GUARD:
        processes, folders = list(_ACTIVE_PROCESSES), list(_ACTIVE_FOLDERS)
    for process in processes:
        with contextlib.suppress(OSError):
            process.kill()
    for process in processes:
        with contextlib.suppress(Exception):
            process.wait(timeout=5)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


@contextlib.contextmanager
def cleanup_on_sigterm():
    """While a fit lasts, SIGTERM runs `_terminate` — when called in the main thread (Python runs signal
    handlers there) and SIGTERM has its default action (no handler of the application's is replaced). Covers the
    runs of every thread of the fit (one-vs-rest, cross-validation folds)."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGTERM) is _terminate:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def run_folder():
    """A temporary folder (`relulp-…` in the system's temporary directory) for one run, removed afterwards,
    and by the SIGTERM handler of `cleanup_on_sigterm`."""
    with cleanup_on_sigterm(), tempfile.TemporaryDirectory(prefix="relulp-") as folder:
        with _ACTIVE_GUARD:
            _ACTIVE_FOLDERS.add(folder)
        try:
            yield folder
        finally:
            with _ACTIVE_GUARD:
                _ACTIVE_FOLDERS.discard(folder)


def run_relulp(binary: str, args: list[str], *, verbose: bool = False) -> tuple[int, str]:
    """Runs `binary args…`; returns (exit status, stderr). With `verbose`, stderr (the solver log) is also
    echoed to Python's stderr as it arrives. stdout (the summary) is not needed: results come from files.
    However the call ends (an exception, KeyboardInterrupt, SIGTERM), the child does not outlive it."""
    parent = os.getpid()
    process = subprocess.Popen([binary, *args], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, errors="replace", start_new_session=True,
                               preexec_fn=lambda: _die_with_parent(parent))
    with _ACTIVE_GUARD:
        _ACTIVE_PROCESSES.add(process)
    captured = []
    try:
        for line in process.stderr:
            captured.append(line)
            if verbose:
                sys.stderr.write(line)
                sys.stderr.flush()
        returncode = process.wait()
    finally:
        if process.poll() is None:  # interrupted: do not leave the solver running
            process.kill()
            process.wait()
        process.stderr.close()
        with _ACTIVE_GUARD:
            _ACTIVE_PROCESSES.discard(process)
    return returncode, "".join(captured)
