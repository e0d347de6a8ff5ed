"""``rapport export table|convokit`` through the real CLI; corpora loaded by ConvoKit itself."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

TRANSCRIPT = """Dr. Okafor: Hi Melissa. What would you like to focus on today?
Melissa: My sister Jenna called from Tallahassee again. I don't know what to do.
Dr. Okafor: It sounds like those calls leave you torn.
Melissa: Yeah. I want to stop picking up, honestly. I think I'm ready to set a limit.
Dr. Okafor: What would setting that limit look like for you?
Melissa: Maybe telling her I'll only talk on Sundays. Her number is 555-867-5309.
Dr. Okafor: That sounds like a clear plan you chose yourself.
"""
ROLES = ("--therapist", "Dr. Okafor", "--client-speaker", "Melissa")
SECRETS = ("Melissa", "Okafor", "Jenna", "Tallahassee", "867-5309")
TURNS = 7


@pytest.fixture
def transcript(tmp_path: Path) -> Path:
    path = tmp_path / "melissa.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    return path


@pytest.fixture
def load_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """ConvoKit's own loader (it writes a config file under $HOME on first use)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    from convokit import Corpus

    return lambda folder: Corpus(filename=str(folder))


def code_table(cli, transcript: Path, tmp_path: Path) -> pd.DataFrame:
    out = tmp_path / "codes.csv"
    result = cli("code", transcript, *ROLES, "--out", out)
    assert result.exit_code == 0, result.output
    return pd.read_csv(out)


def test_convokit_corpus_loads_with_codes_profile_and_reply_chain(cli, transcript: Path,
                                                                  tmp_path: Path,
                                                                  load_corpus) -> None:
    out = tmp_path / "corpus"
    result = cli("export", "convokit", transcript, *ROLES, "--out", out, "--salt", "s")
    assert result.exit_code == 0, result.output
    corpus = load_corpus(out)
    [conversation] = list(corpus.iter_conversations())
    assert conversation.check_integrity(verbose=False)
    utterances = conversation.get_chronological_utterance_list()
    assert len(utterances) == corpus.get_utterances_dataframe().shape[0] == TURNS
    assert conversation.id == utterances[0].id
    assert [u.reply_to for u in utterances] == [None] + [u.id for u in utterances[:-1]]
    assert [u.meta["turn_index"] for u in utterances] == list(range(TURNS))

    session_id = conversation.meta["session_id"]
    assert session_id.startswith("deid-")
    assert {s.id: s.meta["role"] for s in corpus.iter_speakers()} == {
        f"{session_id}/[THERAPIST]": "therapist", f"{session_id}/[CLIENT]": "client"}
    assert [u.speaker.meta["role"] for u in utterances] == ["therapist", "client"] * 3 + [
        "therapist"]

    # the codes are those `rapport code` gives for the same transcript
    codes = code_table(cli, transcript, tmp_path)
    for column in ("therapist_behaviour", "question_type", "client_talk", "code_affirm"):
        expected = [None if pd.isna(v) else v for v in codes[column]]
        assert [u.meta[column] for u in utterances] == expected, column

    # the profile metrics are those `rapport analyze` reports
    report = tmp_path / "report.json"
    assert cli("analyze", transcript, *ROLES, "--json", report, "-q").exit_code == 0
    metrics = json.loads(report.read_text())["metrics"]
    profile = {k.removeprefix("profile."): v for k, v in metrics.items()
               if k.startswith("profile.")}
    assert profile
    for key, value in profile.items():
        assert conversation.meta[f"profile_{key}"] == pytest.approx(value), key

    assert corpus.meta["deidentified"] is True
    assert corpus.meta["coders"]
    written = "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    for secret in SECRETS:
        assert secret not in written
        assert secret not in result.output


def test_keep_identifiers_warns_and_keeps_the_text(cli, transcript: Path, tmp_path: Path,
                                                   load_corpus) -> None:
    out = tmp_path / "corpus"
    result = cli("export", "convokit", transcript, *ROLES, "--out", out,
                 "--keep-identifiers")
    assert result.exit_code == 0, result.output
    assert "warning: --keep-identifiers" in result.stderr
    corpus = load_corpus(out)
    texts = " ".join(u.text for u in corpus.iter_utterances())
    assert "Melissa" in texts
    assert corpus.meta["deidentified"] is False
    assert {s.meta["name"] for s in corpus.iter_speakers()} == {"Dr. Okafor", "Melissa"}


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_table_export_is_the_code_table_de_identified(cli, transcript: Path, tmp_path: Path,
                                                      suffix: str) -> None:
    out = tmp_path / f"turns{suffix}"
    result = cli("export", "table", transcript, *ROLES, "--out", out)
    assert result.exit_code == 0, result.output
    frame = {".csv": pd.read_csv, ".parquet": pd.read_parquet,
             ".jsonl": lambda p: pd.read_json(p, lines=True)}[suffix](out)
    codes = code_table(cli, transcript, tmp_path)
    assert list(frame.columns) == list(codes.columns)
    assert len(frame) == TURNS
    for column in codes.columns:
        if column in ("session_id", "speaker", "text"):
            continue
        if pd.api.types.is_numeric_dtype(codes[column]):
            mine = pd.to_numeric(frame[column]).to_numpy(dtype=float)
            assert mine == pytest.approx(codes[column].to_numpy(dtype=float), nan_ok=True,
                                         abs=1e-12), column
        else:
            assert frame[column].fillna("").astype(str).tolist() == \
                codes[column].fillna("").astype(str).tolist(), column
    assert set(frame["speaker"]) == {"[THERAPIST]", "[CLIENT]"}
    text = out.read_bytes().decode("utf-8", errors="replace")
    for secret in SECRETS:
        assert secret not in text


def test_export_from_a_code_table_matches_the_transcript_route(cli, transcript: Path,
                                                               tmp_path: Path,
                                                               load_corpus) -> None:
    code_table(cli, transcript, tmp_path)
    from_codes = tmp_path / "from-codes"
    from_text = tmp_path / "from-text"
    for args, out in ((("--codes", tmp_path / "codes.csv"), from_codes),
                      ((transcript, *ROLES), from_text)):
        result = cli("export", "convokit", *args, "--out", out, "--salt", "s")
        assert result.exit_code == 0, result.output
    a, b = load_corpus(from_codes), load_corpus(from_text)
    [conv_a], [conv_b] = list(a.iter_conversations()), list(b.iter_conversations())
    # a code table does not say which coder wrote it, so its relationship codes count as a
    # person's would (measured), where the shipped coder's own codes below their feedback
    # bar do not: no rupture count, autonomy support from the words alone (the
    # example's one supportive code, below the bar, has nothing to weigh against), and no
    # validation or disclosure figure (the coder can give feedback on none of their codes)
    counts = {"profile_ruptures", "profile_ruptures_repaired"}
    unmeasured = {"profile_validation_rate", "profile_emotional_disclosure"}
    profile = {k: v for k, v in conv_b.meta.items() if k.startswith("profile_")
               and k not in counts | unmeasured | {"profile_autonomy_support"}}
    for key in unmeasured:
        assert (conv_a.meta[key] is not None, conv_b.meta[key]) == (True, None), key
    assert {k: conv_a.meta[k] for k in profile} == pytest.approx(profile)
    assert all(conv_b.meta[k] is None for k in counts)
    assert all(conv_a.meta[k] == 0.0 for k in counts)
    assert (conv_a.meta["profile_autonomy_support"], conv_b.meta["profile_autonomy_support"]) \
        == (1.0, None)
    utts_a = conv_a.get_chronological_utterance_list()
    utts_b = conv_b.get_chronological_utterance_list()
    assert [u.text for u in utts_a] == [u.text for u in utts_b]
    assert [u.meta["therapist_behaviour"] for u in utts_a] == \
        [u.meta["therapist_behaviour"] for u in utts_b]


def test_a_human_coding_without_confidences_exports(cli, tmp_path: Path,
                                                    load_corpus) -> None:
    table = pd.DataFrame({"session_id": ["s9"] * 3, "turn_index": [2, 0, 1],
                          "role": ["therapist", "therapist", "client"],
                          "speaker": ["T", "T", "C"],
                          "text": ["What else?", "How are you?", "Fine."],
                          "question_type": ["open", "closed", None]})
    table.to_parquet(tmp_path / "human.parquet", index=False)
    out = tmp_path / "corpus"
    result = cli("export", "convokit", "--codes", tmp_path / "human.parquet", "--out", out,
                 "--keep-identifiers")
    assert result.exit_code == 0, result.output
    utterances = load_corpus(out).get_conversation("s9_0").get_chronological_utterance_list()
    assert [u.text for u in utterances] == ["How are you?", "Fine.", "What else?"]
    assert [u.meta["question_type"] for u in utterances] == ["closed", None, "open"]


def _untouched(folder: Path, before: set[str]) -> bool:
    return {p.name for p in folder.iterdir()} == before


@pytest.mark.parametrize(("args", "message"), [
    (["table", "{t}", "--out", "{d}/turns.xlsx"], "cannot write .xlsx"),
    (["convokit", "{t}", "--codes", "{d}/codes.csv", "--out", "{d}/c"], "not both"),
    (["convokit", "--out", "{d}/c"], "nothing to export"),
    (["convokit", "{t}", "--out", "{d}/full"], "not an empty folder"),
    (["table", "--codes", "{d}/nocol.csv", "--out", "{d}/t.csv"], "missing column(s) text"),
    (["table", "--codes", "{d}/gap.csv", "--out", "{d}/t.csv"], "turn_index runs 0..2"),
    (["convokit", "--codes", "{d}/nurse.csv", "--out", "{d}/c"], "session 'g'"),
    (["table", "--codes", "{d}/multi.csv", "--out", "{d}/t.csv"], "not 0 or 1"),
    (["table", "--codes", "{d}/codes.txt", "--out", "{d}/t.csv"], "cannot read .txt"),
])
def test_bad_export_input_is_refused_and_nothing_is_written(cli, transcript: Path,
                                                            tmp_path: Path, args: list[str],
                                                            message: str) -> None:
    d = tmp_path / "work"
    d.mkdir()
    base = {"session_id": ["g", "g"], "role": ["therapist", "client"], "speaker": ["T", "C"],
            "text": ["Hi.", "Hello."]}
    pd.DataFrame({**base, "turn_index": [0, 1]}).to_csv(d / "codes.csv", index=False)
    pd.DataFrame({**base, "turn_index": [0, 2]}).to_csv(d / "gap.csv", index=False)
    pd.DataFrame({**base, "turn_index": [0, 1]}).drop(columns="text").to_csv(
        d / "nocol.csv", index=False)
    pd.DataFrame({**base, "turn_index": [0, 1], "role": ["nurse", "client"]}).to_csv(
        d / "nurse.csv", index=False)
    pd.DataFrame({**base, "turn_index": [0, 1], "code_affirm": [2, 0]}).to_csv(
        d / "multi.csv", index=False)
    (d / "codes.txt").write_text("x")
    (d / "full").mkdir()
    (d / "full" / "keep.txt").write_text("mine")
    before = {p.name for p in d.iterdir()}
    filled = [a.format(t=transcript, d=d) for a in args]
    result = cli("export", *filled)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "fix:" in result.stderr
    assert _untouched(d, before)
    assert [p.name for p in (d / "full").iterdir()] == ["keep.txt"]
