"""A small, dependency-free guess of a session's language from its function words.

The coders are English-only, so the guess only needs to separate English from the
languages therapists most often send us; anything unclear is ``"und"`` (undetermined).
Function words are the most frequent words of any text and differ between languages, so a
few dozen per language are enough on a whole session.
"""

from __future__ import annotations

import re
from collections import Counter


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _words("the and you that it is was to of i my what how about this have with "
                    "for but not me just so do are be can know feel think your we like "
                    "it's don't i'm"),
    "es": _words("el la que de y en los las es no por con para una un pero mi me lo se "
                    "como más está qué yo tu muy eso esto porque cuando estoy"),
    "fr": _words("le la les et est je tu vous que qui pas ne de des un une pour dans ce "
                    "cette mais avec mon ma moi oui c'est très bien ça suis"),
    "de": _words("der die das und ist ich nicht du sie es ein eine mit auf zu den dem "
                    "sich aber auch mein was wie wir ja noch schon dass haben bin"),
    "it": _words("il la che di e è non un una per con mi ti sono ma come io anche questo "
                    "cosa molto perché ho hai della nel lo gli sì"),
    "pt": _words("o a que de e é não um uma para com eu você mas como isso meu minha "
                    "muito está os as do da no na em se porque sim"),
    "nl": _words("de het een en is ik je niet dat van op te met voor maar zijn wat hoe "
                    "dit er ook mijn jij wel nog heb kan naar als"),
}
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German",
                  "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "ja": "Japanese",
                  "ko": "Korean", "el": "Greek", "und": "undetermined"}
#: Scripts that identify a language well enough on their own.
_SCRIPTS = (("ko", re.compile(r"[\uac00-\ud7af]")), ("ja", re.compile(r"[\u3040-\u30ff]")),
            ("el", re.compile(r"[\u0370-\u03ff]")))
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
#: Below this many words there is too little text to tell; English is assumed.
MIN_WORDS = 20


def guess_language(text: str) -> str:
    """ISO 639-1 code of the most likely language, ``"und"`` when unclear.

    >>> guess_language("I don't know what to do about it, and I think that is the problem "
    ...                "with my job and my family, you know, it is just so hard for me.")
    'en'
    >>> guess_language("No sé qué hacer con mi trabajo, y eso es lo que me pasa cuando estoy "
    ...                "en casa con mi familia, porque es muy difícil para mí y para ellos.")
    'es'
    """
    sample = text[:200_000]
    letters = [c for c in sample if c.isalpha()]
    if letters:
        latin = sum(1 for c in letters if _LATIN.match(c))
        if latin / len(letters) < 0.5:
            for code, script in _SCRIPTS:
                if len(script.findall(sample)) / len(letters) > 0.3:
                    return code
            return "und"
    words = [w.casefold().replace("’", "'") for w in _WORD.findall(sample)]
    if len(words) < MIN_WORDS:
        return "en"
    counts = Counter(words)
    scores = {code: sum(counts[w] for w in stops) / len(words)
              for code, stops in _STOP_WORDS.items()}
    best = max(scores, key=lambda code: scores[code])
    return best if scores[best] >= 0.1 else "und"


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
