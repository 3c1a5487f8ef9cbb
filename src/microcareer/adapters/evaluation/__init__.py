"""Reading labelled extraction data sets: CoNLL-style BIO files and sentence -> ESCO URI files."""

from microcareer.adapters.evaluation.loading import FORMATS as FORMATS
from microcareer.adapters.evaluation.loading import load_dataset as load_dataset
