"""onrecord: who said what, when, about whom — an on-the-record knowledge base from news articles."""

from onrecord.api import analyze
from onrecord.errors import InputError, OnrecordError
from onrecord.model import Actor, Article, Quote, Span, TimeExpression
from onrecord.pipeline import PIPELINE_VERSION

__version__ = "0.1.0"

__all__ = [
    "PIPELINE_VERSION",
    "Actor",
    "Article",
    "InputError",
    "OnrecordError",
    "Quote",
    "Span",
    "TimeExpression",
    "analyze",
]
