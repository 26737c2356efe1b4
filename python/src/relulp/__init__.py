"""relulp for Python: scikit-learn estimators over the relulp binary (exact, certified training of
infinite-width shallow ReLU networks) and a reader of its model files."""

from ._binary import (ModelFileError, NotCertifiedWarning, RelulpError, RelulpNotFoundError, RelulpVersionError,
                      find_relulp)
from ._cv import DEFAULT_LAMS, ReLULPRegressorCV, regularization_path
from ._estimators import HIGH_DIMENSIONAL_TIME_LIMIT, ReLULPClassifier, ReLULPRegressor, estimate_regions
from ._model import Model, evaluate, load_model
from ._version import __version__

__all__ = ["ReLULPRegressor", "ReLULPClassifier", "ReLULPRegressorCV", "regularization_path", "estimate_regions",
           "load_model", "Model", "evaluate", "find_relulp", "RelulpError", "RelulpNotFoundError",
           "RelulpVersionError", "ModelFileError", "NotCertifiedWarning", "DEFAULT_LAMS",
           "HIGH_DIMENSIONAL_TIME_LIMIT", "__version__"]
