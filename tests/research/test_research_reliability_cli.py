"""``rapport reliability`` through the real CLI: results, file types and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

# Four therapist turns coded by two people. Hand-computed: observed agreement 3/4,
# chance agreement (2/4 * 1/4) + (2/4 * 3/4) = 1/2, so kappa = (0.75 - 0.5) / 0.5 = 0.5.
# With B as the truth, "open" has support 1, precision 1/2 (A said open twice), recall 1.
HUMAN_A = ["open", "open", "closed", "closed"]
HUMAN_B = ["open", "closed", "closed", "closed"]


def coding(labels: list[str | None], *, session: str = "s1", extra: dict | None = None
           ) -> pd.DataFrame:
    frame = pd.DataFrame({"session_id": session, "turn_index": range(len(labels)),
                          "role": "therapist", "speaker": "T",
                          "text": [f"turn {i}" for i in range(len(labels))],
                          "question_type": labels,
                          "question_type_confidence": [0.9] * len(labels)})
    for name, values in (extra or {}).items():
        frame[name] = values
    return frame


def write(frame: pd.DataFrame, path: Path) -> Path:
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_json(path, orient="records", lines=True)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_kappa_alpha_and_scores_of_a_known_pair(cli, tmp_path: Path, suffix: str) -> None:
    a = write(coding(HUMAN_A), tmp_path / f"a{suffix}")
    b = write(coding(HUMAN_B), tmp_path / f"b{suffix}")
    result = cli("reliability", a, b, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    [code] = report["codes"]
    assert code["code"] == "question_type"  # the confidence column is not a code
    assert code["n"] == 4
    assert code["cohen_kappa"] == pytest.approx(0.5)
    assert code["accuracy"] == pytest.approx(0.75)
    # Krippendorff's coincidences: o-o 2, o-c 1, c-o 1, c-c 4 (n = 8; n_o = 3, n_c = 5);
    # alpha = 1 - (n - 1) * 2 / (2 * n_o * n_c) = 1 - 14/30.
    assert code["krippendorff_alpha"] == pytest.approx(1 - 14 / 30)
    by_label = {s["label"]: s for s in code["labels"]}
    assert by_label["open"]["support"] == 1
    assert by_label["open"]["precision"] == pytest.approx(0.5)
    assert by_label["open"]["recall"] == pytest.approx(1.0)
    assert code["confusion"] == [[2, 1], [0, 1]]  # rows: B closed, open; columns: A


def test_reference_chooses_the_truth(cli, tmp_path: Path) -> None:
    a = write(coding(HUMAN_A), tmp_path / "a.csv")
    b = write(coding(HUMAN_B), tmp_path / "b.csv")
    report = json.loads(cli("reliability", a, b, "--json", "--reference", "a").stdout)
    open_ = {s["label"]: s for s in report["codes"][0]["labels"]}["open"]
    assert (open_["support"], open_["precision"], open_["recall"]) == (2, 1.0, 0.5)
    assert report["reference"] == "a"


def test_terminal_table_and_out_file(cli, tmp_path: Path) -> None:
    a = write(coding(HUMAN_A), tmp_path / "a.csv")
    b = write(coding(HUMAN_B), tmp_path / "b.csv")
    out = tmp_path / "reliability.json"
    result = cli("reliability", a, b, "--out", out)
    assert result.exit_code == 0, result.output
    assert "question_type" in result.stdout
    assert "0.500" in result.stdout  # kappa
    assert "reference (truth for precision/recall): B" in result.stdout
    assert json.loads(out.read_text())["codes"][0]["n"] == 4


def test_units_coded_on_one_side_are_counted_not_compared(cli, tmp_path: Path) -> None:
    a = write(coding(["open", None, "closed", "closed"]), tmp_path / "a.csv")
    b = write(coding(["open", "closed", None, "closed"]), tmp_path / "b.csv")
    code = json.loads(cli("reliability", a, b, "--json").stdout)["codes"][0]
    assert (code["n"], code["one_sided"]) == (2, 2)
    assert code["cohen_kappa"] == 1.0


def test_one_label_used_throughout_gives_undefined_kappa_and_alpha(cli, tmp_path: Path
                                                                  ) -> None:
    # Both coders said "closed" to every unit: perfect percent agreement, but kappa and
    # alpha are undefined (no variation, expected disagreement 0), never 1.000.
    a = write(coding(["closed"] * 4), tmp_path / "a.csv")
    b = write(coding(["closed"] * 4), tmp_path / "b.csv")
    out = tmp_path / "reliability.json"
    (code,) = json.loads(cli("reliability", a, b, "--json", "--out", out).stdout)["codes"]
    assert (code["n"], code["accuracy"], code["confusion"]) == (4, 1.0, [[4]])
    assert code["cohen_kappa"] is None and code["krippendorff_alpha"] is None
    assert code["undefined"] == 'only one value used by both coders ("closed")'
    assert json.loads(out.read_text())["codes"][0]["cohen_kappa"] is None
    text = cli("reliability", a, b).stdout
    row = next(line for line in text.splitlines() if line.startswith("question_type "))
    assert row.split()[3:6] == ["n/a", "n/a", "1.000"]  # kappa, alpha, accuracy
    assert ('question_type: kappa and alpha n/a: only one value used by both coders '
            '("closed")') in text


def test_session_scores_get_icc(cli, tmp_path: Path) -> None:
    # per-session means A = 1, 2, 3 and B = 2, 3, 4: a constant offset, so ICC(3,1) = 1
    # and ICC(2,1) = BMS / (BMS + k (JMS - EMS) / n) = 2 / (2 + 2 * 1.5 / 3) = 2/3.
    frames_a, frames_b = [], []
    for i, sid in enumerate(["s1", "s2", "s3"]):
        frames_a.append(coding(HUMAN_A, session=sid, extra={"empathy": [i + 1.0] * 4}))
        frames_b.append(coding(HUMAN_B, session=sid, extra={"empathy": [i + 1.5, i + 2.5,
                                                                      i + 2.0, i + 2.0]}))
    a = write(pd.concat(frames_a), tmp_path / "a.csv")
    b = write(pd.concat(frames_b), tmp_path / "b.csv")
    result = cli("reliability", a, b, "--json", "--session-score", "empathy",
                 "--session-score", "question_type=open")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [c["code"] for c in report["codes"]] == ["question_type"]  # empathy is a score
    empathy, share = report["session_scores"]
    assert empathy["n"] == 3
    assert empathy["icc3_1"] == pytest.approx(1.0)
    assert empathy["icc2_1"] == pytest.approx(2 / 3)
    # every session has the same share of "open" (A 0.5, B 0.25): no variance between
    # sessions, so nothing is consistent (ICC(3,1) = 0/0) and the offset is all there is
    assert (share["mean_a"], share["mean_b"]) == (0.5, 0.25)
    assert (share["icc3_1"], share["icc2_1"]) == (None, 0.0)


def test_session_tables_compare_scores(cli, tmp_path: Path) -> None:
    a = write(pd.DataFrame({"session_id": ["x", "y", "z"], "wai": [1.0, 2.0, 3.0]}),
              tmp_path / "a.csv")
    b = write(pd.DataFrame({"session_id": ["z", "y", "x"], "wai": [3.0, 2.0, 1.0]}),
              tmp_path / "b.csv")
    report = json.loads(cli("reliability", a, b, "--json", "--session-score", "wai").stdout)
    assert report["unit"] == "session"
    assert report["session_scores"][0]["icc2_1"] == pytest.approx(1.0)


def test_mismatched_utterances_are_refused_with_counts_and_examples(cli,
                                                                    tmp_path: Path) -> None:
    a = write(coding([*HUMAN_A, "open", "open"]), tmp_path / "a.csv")
    b = write(coding(HUMAN_B, session="s1"), tmp_path / "b.csv")
    out = tmp_path / "r.json"
    result = cli("reliability", a, b, "--out", out)
    assert result.exit_code == 2
    assert "do not cover the same utterances" in result.stderr
    assert "2 of the 6 utterances" in result.stderr
    assert "s1#4, s1#5" in result.stderr
    assert "--allow-partial" in result.stderr
    assert not out.exists()


def test_allow_partial_compares_the_intersection(cli, tmp_path: Path) -> None:
    a = write(coding([*HUMAN_A, "open", "open"]), tmp_path / "a.csv")
    b = write(coding(HUMAN_B), tmp_path / "b.csv")
    result = cli("reliability", a, b, "--json", "--allow-partial")
    assert result.exit_code == 0, result.output
    assert "left out 2 only in A and 0 only in B" in result.stderr
    report = json.loads(result.stdout)
    assert (report["units"], report["only_in_a"], report["codes"][0]["n"]) == (4, 2, 4)


def test_no_shared_utterances_is_refused_even_when_partial(cli, tmp_path: Path) -> None:
    a = write(coding(HUMAN_A, session="one"), tmp_path / "a.csv")
    b = write(coding(HUMAN_B, session="two"), tmp_path / "b.csv")
    result = cli("reliability", a, b, "--allow-partial")
    assert result.exit_code == 2
    assert "share no utterances" in result.stderr


@pytest.mark.parametrize(("frame", "message"), [
    (pd.DataFrame({"turn_index": [0], "question_type": ["open"]}), "no session_id column"),
    (pd.DataFrame({"session_id": ["s1", "s1"], "turn_index": [0, 0],
                   "question_type": ["open", "open"]}), "appear more than once (s1#0)"),
    (pd.DataFrame({"session_id": ["s1"], "turn_index": [0.5], "question_type": ["open"]}),
     "is not a whole number"),
])
def test_bad_tables_are_refused(cli, tmp_path: Path, frame: pd.DataFrame,
                                message: str) -> None:
    a = write(frame, tmp_path / "a.csv")
    b = write(coding(HUMAN_B), tmp_path / "b.csv")
    result = cli("reliability", a, b)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "fix:" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--code", "reflection_type"], "not a code column of both files"),
    (["--reference", "c"], "is not a or b"),
    (["--out", "r.csv"], "end --out with .json"),
    (["--session-score", "question_type"], "not a number"),
    (["--session-score", "wai"], "no column 'wai'"),
    # a misspelt label scored 0 everywhere and printed "n/a" as if it were a finding
    (["--session-score", "question_type=bogus"],
     "the label 'bogus' never occurs in column 'question_type' of either file"),
])
def test_bad_options_are_refused(cli, tmp_path: Path, args: list[str], message: str) -> None:
    a = write(coding(HUMAN_A), tmp_path / "a.csv")
    b = write(coding(HUMAN_B), tmp_path / "b.csv")
    result = cli("reliability", a, b, *[str(tmp_path / x) if x.endswith(".csv") else x
                                        for x in args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "r.csv").exists()


def test_wrong_extension_and_missing_file(cli, tmp_path: Path) -> None:
    b = write(coding(HUMAN_B), tmp_path / "b.csv")
    (tmp_path / "a.txt").write_text("T: hi\n")
    result = cli("reliability", tmp_path / "a.txt", b)
    assert result.exit_code == 2
    assert "cannot read .txt" in result.stderr
    result = cli("reliability", tmp_path / "nope.csv", b)
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_a_table_without_turns_against_an_utterance_coding(cli, tmp_path: Path) -> None:
    a = write(pd.DataFrame({"session_id": ["s1"], "wai": [1.0]}), tmp_path / "a.csv")
    b = write(coding(HUMAN_B), tmp_path / "b.csv")
    result = cli("reliability", a, b)
    assert result.exit_code == 2
    assert "has a turn_index column but" in result.stderr


def test_a_folder_of_parquet_parts_is_one_coding(cli, tmp_path: Path) -> None:
    parts = tmp_path / "utterances"
    parts.mkdir()
    frame = pd.concat([coding(HUMAN_A, session="s1"), coding(HUMAN_A, session="s2")])
    frame[frame["session_id"] == "s1"].to_parquet(parts / "part-00000.parquet", index=False)
    frame[frame["session_id"] == "s2"].to_parquet(parts / "part-00001.parquet", index=False)
    (parts / ".part-00002.parquet.tmp").write_text("half written")
    b = write(pd.concat([coding(HUMAN_B, session="s1"), coding(HUMAN_B, session="s2")]),
              tmp_path / "b.csv")
    result = cli("reliability", parts, b, "--json")
    assert result.exit_code == 0, result.output
    code = json.loads(result.stdout)["codes"][0]
    assert (code["n"], code["cohen_kappa"]) == (8, pytest.approx(0.5))
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("reliability", empty, b)
    assert result.exit_code == 2
    assert "folder holds no .parquet parts" in result.stderr


def test_two_names_for_one_label_are_pointed_out(cli, tmp_path: Path) -> None:
    # AnnoMI says "therapist_input" where Rapport says "input": compared as they are, the
    # two would only disagree; the user is told which labels each side alone uses
    a = write(coding(["question", "therapist_input", "reflection"]).rename(
        columns={"question_type": "therapist_behaviour",
                 "question_type_confidence": "therapist_behaviour_confidence"}),
        tmp_path / "a.csv")
    b = write(coding(["question", "input", "reflection"]).rename(
        columns={"question_type": "therapist_behaviour",
                 "question_type_confidence": "therapist_behaviour_confidence"}),
        tmp_path / "b.csv")
    result = cli("reliability", a, b)
    assert result.exit_code == 0, result.output
    assert ("therapist_behaviour: labels only in A (therapist_input) and only in B (input)"
            in " ".join(result.output.split()))
    # a label one coder never used is ordinary, not a warning
    same = cli("reliability", write(coding(HUMAN_A), tmp_path / "c.csv"),
               write(coding(["open"] * 4), tmp_path / "d.csv"))
    assert "labels only in" not in same.output
