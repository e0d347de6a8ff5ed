"""Coding: label each utterance the way a trained human coder would."""

from rapport.coding.base import CodedSession, CodeFamily, SessionCoder
from rapport.coding.pipeline import code_sessions, load_coders

__all__ = ["CodeFamily", "CodedSession", "SessionCoder", "code_sessions", "load_coders"]
