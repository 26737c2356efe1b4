"""Finding and running the relulp binary; its error messages become Python exceptions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from sklearn.exceptions import ConvergenceWarning


class RelulpError(ValueError):
    """relulp refused the input or failed; the message is relulp's own (its `error:` line on stderr).

    A ValueError, because what relulp refuses is almost always the data or a parameter (non-finite values,
    too many dual regions, an unknown backend), which is where scikit-learn expects a ValueError.
    """

    def __init__(self, message: str, *, returncode: int | None = None, stderr: str = ""):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


class RelulpNotFoundError(RelulpError):
    """No relulp binary: neither `relulp_path=`, nor the RELULP environment variable, nor `relulp` on PATH."""


class ModelFileError(RelulpError):
    """A model file that is not a relulp model (format "relulp-model", version 1) or is inconsistent."""


class NotCertifiedWarning(ConvergenceWarning):
    """relulp stopped without certifying optimality (status other than "optimal"): the network is only an
    upper bound, its gap to the lower bound is larger than the tolerance."""


def find_relulp(relulp_path: str | os.PathLike | None = None) -> str:
    """The relulp executable: `relulp_path` if given, else $RELULP, else `relulp` on PATH."""
    candidate = relulp_path if relulp_path is not None else os.environ.get("RELULP")
    if candidate is not None:
        candidate = os.fspath(candidate)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
        found = shutil.which(candidate)
        if found:
            return found
        source = "relulp_path" if relulp_path is not None else "the RELULP environment variable"
        raise RelulpNotFoundError(f"relulp binary not found: {source} names {candidate!r}, which is not an executable file")
    found = shutil.which("relulp")
    if found is None:
        raise RelulpNotFoundError(
            "relulp binary not found on PATH: build it (`swift build -c release`, then .build/release/relulp) and "
            "put it on PATH, set the RELULP environment variable, or pass relulp_path=")
    return found


def error_message(returncode: int, stderr: str) -> str:
    """relulp's own error lines (`error: …`, or argument-parser `Error: …`), else the tail of stderr."""
    lines = [line.rstrip() for line in stderr.splitlines()]
    errors = [line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("error:")]
    if errors:
        return "relulp: " + "; ".join(errors)
    if returncode < 0:  # a crash: the cause is the last line before the crash report (its lines start with ***)
        cause = [line for line in stderr.split("\n***", 1)[0].splitlines() if line.strip()][-1:]
        return f"relulp was killed by signal {-returncode}" + (f": {cause[0].strip()}" if cause else "")
    tail = [line for line in lines if line.strip()][-5:]
    return f"relulp exited with status {returncode}" + (": " + " | ".join(tail) if tail else " and no message")


def run_relulp(binary: str, args: list[str], *, verbose: bool = False) -> tuple[int, str]:
    """Runs `binary args…`; returns (exit status, stderr). With `verbose`, stderr (the solver log) is also
    echoed to Python's stderr as it arrives. stdout (the summary) is not needed: results come from files."""
    process = subprocess.Popen([binary, *args], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, errors="replace")
    captured = []
    try:
        for line in process.stderr:
            captured.append(line)
            if verbose:
                sys.stderr.write(line)
                sys.stderr.flush()
        returncode = process.wait()
    finally:
        if process.poll() is None:  # interrupted (KeyboardInterrupt): do not leave the solver running
            process.kill()
            process.wait()
        process.stderr.close()
    return returncode, "".join(captured)
