"""What the context encoder reads for one turn: its window of token ids.

The window is the turn with its neighbours, speaker-tagged, in BERT's pair layout::

    [CLS] therapist: <turn i-2> client: <turn i-1> [SEP] <turn i> [SEP] client: <reply> [SEP]

The coded turn is kept whole first (up to :data:`MAX_TURN` tokens), then the start of the
reply, then as much of the two turns before as fits, cut from their start. Training
(``training/finetune_utterance.py``) builds its windows here, and so must any inference
code, so that the model always reads what it was trained on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CLS, SEP = 101, 102  # the MiniLM tokenizer's [CLS] and [SEP]
MAX_TOKENS = 128
MAX_TURN = 80
MAX_REPLY = 24
#: The words that tag each speaker's turn in the window.
SPEAKER_TAGS = {"therapist": "therapist:", "client": "client:"}


@dataclass(frozen=True)
class Window:
    """Token ids of one window and where the coded turn lies in it (``start:end``)."""

    ids: tuple[int, ...]
    start: int
    end: int


def window(turns: Sequence[Sequence[int]], roles: Sequence[str], i: int,
           tags: dict[str, list[int]]) -> Window:
    """Turn ``i``'s window from every turn's token ids (no special tokens) and roles.

    ``tags`` maps a role to the token ids of its speaker tag; a role without a tag (an
    unknown speaker) is tagged with nothing.
    """
    text = list(turns[i][:MAX_TURN])
    reply = [*tags.get(roles[i + 1], []), *turns[i + 1]][:MAX_REPLY] \
        if i + 1 < len(turns) else []
    room = MAX_TOKENS - 4 - len(text) - len(reply)
    past: list[int] = []
    for j in (i - 1, i - 2):
        if j < 0 or room - len(past) <= 0:
            break
        past = [*tags.get(roles[j], []), *turns[j], *past]
    past = past[-room:] if room > 0 else []
    ids = [CLS, *past, SEP, *text, SEP]
    if reply:
        ids += [*reply, SEP]
    return Window(ids=tuple(ids), start=len(past) + 2, end=len(past) + 2 + len(text))
