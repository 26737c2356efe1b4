"""The relulp model file (README.md, "The model file") as numpy arrays, and the network it describes."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

import numpy as np

from ._binary import ModelFileError

FORMAT = "relulp-model"
VERSION = 1


def evaluate(amplitudes: np.ndarray, weights: np.ndarray, X: np.ndarray, bias: bool) -> np.ndarray:
    """f(x) = Σ_i amplitude_i · max(⟨weights_i, (x, 1)⟩, 0) for every row x of X (without the 1 if not bias)."""
    X = np.asarray(X, dtype=float)
    m = weights.shape[1] - (1 if bias else 0)
    if X.ndim != 2 or X.shape[1] != m:
        raise ValueError(f"X must be a 2-D array with {m} feature columns, got shape {X.shape}")
    pre = X @ weights[:, :m].T
    if bias:
        pre = pre + weights[:, m]
    return np.maximum(pre, 0.0) @ amplitudes


@dataclass(frozen=True)
class Model:
    """A trained network with its certificate, as written by `relulp solve --output`.

    `weights` is (k, m + bias): one unit vector per neuron in the lifted space (x, 1), the bias last;
    `amplitudes` is (k,): the output weights; `intercept` the unpenalised output constant b (0.0 for a model
    fitted without one). `status` is "optimal" only when the relative gap to the lower bound (valid over networks
    of every width) is within `tolerance`.

    A model of `relulp solve --sparsest` has `loss == "sparsest"` (`sparsest` is True): the interpolating network
    with the fewest neurons found, `objective` its number of neurons, `lower_bound` the number proven (no network
    with fewer interpolates), `status` "optimal" when they agree; it has no certificate (`certificate_dual` is
    None): the proof is the solver's, by support cuts (docs/mathematics.md §10), and `relulp certify` checks the
    fit and the counts only.
    """

    lam: float
    bias: bool
    loss: str
    features: list
    target: str
    n: int
    amplitudes: np.ndarray
    weights: np.ndarray
    objective: float
    data_loss: float
    total_variation: float
    lower_bound: float
    gap: float
    tolerance: float
    status: str
    certificate_dual: np.ndarray | None
    max_abs_eta: float | None
    classes: list | None
    raw: dict = field(repr=False)
    intercept: float = 0.0

    @property
    def certified(self) -> bool:
        """Whether relulp certified the network optimal (gap within the tolerance; for a sparsest model: its
        count proven least)."""
        return self.status == "optimal"

    @property
    def sparsest(self) -> bool:
        """Whether this is a sparsest interpolant (`relulp solve --sparsest`): objective = its neuron count."""
        return self.loss == "sparsest"

    @property
    def neurons(self) -> int:
        """The network's number of neurons (atoms)."""
        return int(self.amplitudes.shape[0])

    def decision_function(self, X) -> np.ndarray:
        """The network's output at the rows of X (features in the model's order, `features`)."""
        return evaluate(self.amplitudes, self.weights, X, self.bias) + self.intercept

    def predict(self, X) -> np.ndarray:
        """The network's output at the rows of X (for a hinge-loss model: the decision value, not the class)."""
        return self.decision_function(X)

    __call__ = predict


def _number(value, path, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ModelFileError(f"{path}: field {name!r} must be a number, got {value!r}")
    return float(value)


def model_from_dict(raw: dict, path: str = "model") -> Model:
    """Checks a decoded model file and turns it into a `Model`."""
    if not isinstance(raw, dict):
        raise ModelFileError(f"{path}: not a JSON object")
    if raw.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not a relulp model file (\"format\" is {raw.get('format')!r}, expected {FORMAT!r})")
    if raw.get("version") != VERSION:
        raise ModelFileError(f"{path}: model file version {raw.get('version')!r}; this package reads version {VERSION}")
    try:
        features = list(raw["features"])
        bias = bool(raw["bias"])
        atoms = raw["atoms"]
        d = len(features) + (1 if bias else 0)
        amplitudes = np.array([_number(a["amplitude"], path, f"atoms[{i}].amplitude") for i, a in enumerate(atoms)], dtype=float)
        weights = np.array([[_number(w, path, f"atoms[{i}].weights") for w in a["weights"]] for i, a in enumerate(atoms)],
                           dtype=float).reshape(len(atoms), d) if atoms else np.zeros((0, d))
        certificate = raw.get("certificate")
        model = Model(
            lam=_number(raw["lambda"], path, "lambda"), bias=bias, loss=str(raw.get("loss", "l1")),
            features=features, target=str(raw["target"]), n=int(raw["n"]), amplitudes=amplitudes, weights=weights,
            objective=_number(raw["objective"], path, "objective"), data_loss=_number(raw["dataLoss"], path, "dataLoss"),
            total_variation=_number(raw["totalVariation"], path, "totalVariation"),
            lower_bound=_number(raw["lowerBound"], path, "lowerBound"), gap=_number(raw["gap"], path, "gap"),
            tolerance=_number(raw["tolerance"], path, "tolerance"), status=str(raw["status"]),
            certificate_dual=np.array(certificate["dual"], dtype=float) if certificate else None,
            max_abs_eta=_number(certificate["maxAbsEta"], path, "certificate.maxAbsEta") if certificate else None,
            classes=raw.get("classes"), raw=raw,
            intercept=_number(raw["intercept"], path, "intercept") if "intercept" in raw else 0.0)
    except KeyError as missing:
        raise ModelFileError(f"{path}: missing field {missing}") from None
    except (TypeError, ValueError) as error:
        if isinstance(error, ModelFileError):
            raise
        raise ModelFileError(f"{path}: malformed atoms or certificate ({error}); every atom needs "
                             f"{len(raw.get('features', []))} feature weights{' plus a bias' if raw.get('bias') else ''}") from None
    if not (np.all(np.isfinite(amplitudes)) and np.all(np.isfinite(weights))):
        raise ModelFileError(f"{path}: an atom has a non-finite amplitude or weight")
    if model.sparsest and not (model.objective == model.neurons and 0 <= model.lower_bound <= model.objective):
        raise ModelFileError(f"{path}: a sparsest model's objective ({model.objective:g}) must be its number of neurons "
                             f"({model.neurons}) and its lowerBound ({model.lower_bound:g}) between 0 and it")
    if model.certificate_dual is not None and model.certificate_dual.shape != (model.n,):
        raise ModelFileError(f"{path}: the certificate's dual vector has {model.certificate_dual.size} entries for n = {model.n} points")
    return model


def load_model(path: str | os.PathLike) -> Model:
    """Reads a model file written by `relulp solve --output` (format "relulp-model", version 1)."""
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as file:
            raw = json.load(file)
    except OSError as error:
        raise ModelFileError(f"{path}: cannot read the model file ({error.strerror or error})") from None
    except json.JSONDecodeError as error:
        raise ModelFileError(f"{path}: malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    return model_from_dict(raw, path)
