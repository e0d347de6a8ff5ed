"""Profile: the session relationship profile built from utterance codes and timing."""
