"""The questionnaire model: load, validate, fingerprint, convert (YAML and XLSForm)."""

from .files import load, validate
from .loader import check, from_dict, loads
from .model import Choice, Group, Item, Questionnaire, Section, Text
from .problems import Problem, QuestionnaireError
from .writer import to_dict, to_yaml

__all__ = [
    "Choice", "Group", "Item", "Problem", "Questionnaire", "QuestionnaireError", "Section", "Text",
    "check", "from_dict", "load", "loads", "to_dict", "to_yaml", "validate",
]
