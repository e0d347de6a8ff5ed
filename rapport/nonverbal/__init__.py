"""Nonverbal and vocal rapport signals: movement synchrony, prosody, vocal synchrony, timing.

Needs the ``nonverbal`` extra (OpenCV, praat-parselmouth, soundfile); those are imported
only inside the functions that use them, so the core package works without them.
Convention: s1 is the client, s2 the therapist; a positive lag means the therapist follows.
"""
