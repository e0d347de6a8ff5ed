"""Transcription accuracy, who-spoke-when and speed on synthetic two-voice sessions.

    nice -n 10 .venv/bin/python benchmarks/transcribe.py            # accuracy table
    nice -n 10 .venv/bin/python benchmarks/transcribe.py --long 50  # + a 50-minute session

Sessions are AnnoMI transcripts (``data/annomi``, public domain per its authors' README)
rendered with espeak-ng in two voices (``rapport/transcribe/synthetic.py``): the first
``--turns`` turns of ``--sessions`` transcripts, picked in transcript-id order among those
with at least that many turns and no turn over 60 words. Each is rendered in three
conditions (normal rate; 1.25x rate; 0.9x rate with white noise at 15 dB SNR) and
transcribed twice: stereo with one speaker per channel, and the mono mix (diarised).
Nothing is tuned on these sessions: the settings in ``rapport/transcribe`` were fixed
before this ran (the diarisation settings and the beam size on AnnoMI transcripts 126 and
131, which are not among these). WER is given normalised (``scoring.normalised_words``,
the same on both sides: numbers, contractions, hesitation sounds) and raw. Goals (issue
27): WER <= 10%, role accuracy per turn >= 95%; a 50-minute
session in <= 25 minutes on 2 cores, memory <= 2 GB.
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
import time
from pathlib import Path

from rapport.transcribe.asr import Recogniser
from rapport.transcribe.audio import decode
from rapport.transcribe.model import default_model
from rapport.transcribe.scoring import role_accuracy, speaker_error, word_error_rate
from rapport.transcribe.session import transcribe
from rapport.transcribe.synthetic import render

ROOT = Path(__file__).resolve().parent.parent
CONDITIONS = {"normal": {"rate": 1.0, "noise_snr_db": None},
              "fast 1.25x": {"rate": 1.25, "noise_snr_db": None},
              "slow 0.9x + noise 15 dB": {"rate": 0.9, "noise_snr_db": 15.0}}


def scripts(sessions: int, turns: int) -> dict[str, list[tuple[int, str]]]:
    rows: dict[str, list[tuple[int, str]]] = {}
    with (ROOT / "data" / "annomi" / "AnnoMI-simple.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            speaker = 0 if row["interlocutor"] == "therapist" else 1
            rows.setdefault(row["transcript_id"], []).append(
                (speaker, row["utterance_text"].strip()))
    picked: dict[str, list[tuple[int, str]]] = {}
    for tid in sorted(rows, key=int):
        script = [t for t in rows[tid] if t[1]][:turns]
        if len(script) == turns and all(len(t.split()) <= 60 for _, t in script) \
                and {s for s, _ in script} == {0, 1}:
            picked[f"annomi-{tid}"] = script
        if len(picked) == sessions:
            break
    return picked


def score(script: list[tuple[int, str]], rendered, result) -> dict[str, float]:
    reference = " ".join(text for _, text in script)
    hypothesis = " ".join(t.text for t in result.turns)
    truth = [(t.speaker, t.start, t.end) for t in rendered.turns]
    words = [((w.start + w.end) / 2, int(label.split("_")[1]) - 1)
             for w, label in zip(result.words, result.labels, strict=True)]
    suggested = result.suggestion.roles(result.speakers)
    roles = [((w.start + w.end) / 2, suggested.get(label))
             for w, label in zip(result.words, result.labels, strict=True)]
    true_roles = [("therapist" if t.speaker == 0 else "client", t.start, t.end)
                  for t in rendered.turns]
    return {"wer": word_error_rate(reference, hypothesis, normalise=True),
            "raw_wer": word_error_rate(reference, hypothesis),
            "speaker_error": speaker_error(words, truth),
            "role_accuracy": role_accuracy(roles, true_roles)}


def accuracy(args: argparse.Namespace, recogniser: Recogniser, folder: Path) -> None:
    print(f"{'session':<12} {'condition':<24} {'mode':<7} {'min':>5} {'WER':>6} {'raw':>6} "
          f"{'spk err':>7} {'roles':>6} {'RTF':>5}")
    totals: dict[tuple[str, str], list[dict[str, float]]] = {}
    for sid, script in scripts(args.sessions, args.turns).items():
        for condition, params in CONDITIONS.items():
            rendered = render(script, seed=int(sid.split("-")[1]), **params)  # type: ignore[arg-type]
            for mode in ("stereo", "mono"):
                wav = rendered.write(folder / f"{sid}-{mode}.wav", stereo=mode == "stereo")
                recording = decode(wav)
                began = time.perf_counter()
                result = transcribe(recording, recogniser, session_id=sid, source_name=wav.name,
                                    checkpoint_stem=folder / f"{sid}-{mode}-{condition}")
                seconds = time.perf_counter() - began
                row = score(script, rendered, result)
                row["rtf"] = seconds / recording.seconds
                totals.setdefault((condition, mode), []).append(row)
                print(f"{sid:<12} {condition:<24} {mode:<7} {recording.seconds / 60:5.1f} "
                      f"{row['wer']:6.1%} {row['raw_wer']:6.1%} {row['speaker_error']:7.1%} "
                      f"{row['role_accuracy']:6.1%} {row['rtf']:5.2f}", flush=True)
    print("\nmean over sessions")
    for (condition, mode), rows in totals.items():
        mean = {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]}
        print(f"{condition:<24} {mode:<7} WER {mean['wer']:6.1%} (raw {mean['raw_wer']:5.1%})"
              f"  speaker error "
              f"{mean['speaker_error']:6.1%}  role accuracy {mean['role_accuracy']:6.1%}  "
              f"RTF {mean['rtf']:.2f}")


def long_session(minutes: float, threads: int, folder: Path) -> None:
    """One long mono session (AnnoMI transcripts one after another) through the real
    ``rapport transcribe`` in its own process: wall time and that process's peak memory."""
    import json
    import subprocess
    import sys

    script: list[tuple[int, str]] = []
    for turns in scripts(200, 20).values():
        script.extend(turns)
        if sum(len(t.split()) for _, t in script) / 150 >= minutes:  # ~150 words a minute
            break
    rendered = render(script, seed=7)
    wav = rendered.write(folder / "long.wav", stereo=False)
    audio_minutes = len(rendered.stereo) / 22_050 / 60
    out = folder / "long.jsonl"
    del rendered  # the rendering (~1 GB for 50 minutes) is not the transcriber's memory
    command = [sys.executable, "-m", "rapport.cli", "transcribe", str(wav), "--out", str(out),
               "--language", "en", "--threads", str(threads), "-q"]
    began = time.perf_counter()
    # Through a small launcher, whose only child is the transcriber: on Linux a child's
    # ru_maxrss starts at the RSS of the process it was forked from (exec records the old
    # address space's peak), so timing it straight from this process, which has just
    # rendered the session, reported this process's peak (2,322 MB) as the transcriber's.
    launcher = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", launcher, *command], check=True,
                          capture_output=True, text=True,
                          env={**os.environ, "RAPPORT_HOME": str(folder / "home")})
    seconds = time.perf_counter() - began
    peak = int(done.stdout.split()[-1]) / 1024
    _, *turns = (json.loads(line) for line in out.read_text().splitlines())
    reference, hypothesis = " ".join(t for _, t in script), " ".join(t["text"] for t in turns)
    print(f"\nlong session: {audio_minutes:.1f} min of audio transcribed (mono, diarised, "
          f"`rapport transcribe` in its own process, {threads} threads) in "
          f"{seconds / 60:.1f} min (RTF {seconds / 60 / audio_minutes:.2f}; load average "
          f"{os.getloadavg()[0]:.1f}); peak memory {peak:.0f} MB; WER "
          f"{word_error_rate(reference, hypothesis, normalise=True):.1%} normalised, "
          f"{word_error_rate(reference, hypothesis):.1%} raw", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--long", type=float, default=0, help="also time a session of "
                        "this many minutes")
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        began = time.perf_counter()
        model = default_model(folder / "home")
        recogniser = Recogniser(model, threads=args.threads, language="en")
        print(f"model: {model.name}, int8 on {args.threads} CPU threads; checked and loaded "
              f"in {time.perf_counter() - began:.1f} s (first run joins the halves)\n")
        if not args.skip_accuracy:
            accuracy(args, recogniser, folder)
        if args.long:
            long_session(args.long, args.threads, folder)


if __name__ == "__main__":
    main()
