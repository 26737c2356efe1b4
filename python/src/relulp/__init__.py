"""relulp for Python: a scikit-learn estimator over the relulp binary (exact, certified training of
infinite-width shallow ReLU networks) and a reader of its model files."""

from ._binary import ModelFileError, NotCertifiedWarning, RelulpError, RelulpNotFoundError, find_relulp
from ._model import Model, evaluate, load_model
from ._estimators import ReLULPClassifier, ReLULPRegressor

__all__ = ["ReLULPRegressor", "ReLULPClassifier", "load_model", "Model", "evaluate", "find_relulp", "RelulpError",
           "RelulpNotFoundError", "ModelFileError", "NotCertifiedWarning"]
__version__ = "0.1.0"
