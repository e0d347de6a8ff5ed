"""Profile: the session relationship profile built from utterance codes and timing."""

from rapport.profile.models import ProfileResult

__all__ = ["ProfileResult"]
