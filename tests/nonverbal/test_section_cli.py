"""The nonverbal report section and the ``rapport nonverbal`` command, end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from typer.testing import CliRunner, Result

from rapport.cli import build_app
from rapport.domain import Code, CodedSession, Role, Session, Speaker, Turn, TurnCodes
from rapport.errors import RapportInputError
from rapport.nonverbal.analysis import NonverbalResult
from rapport.nonverbal.section import NonverbalSection
from rapport.nonverbal.synthetic import PlantedTurn
from rapport.pipeline import analyze_coded, load_sections
from rapport.report.section import AnalysisContext

THERAPIST = "<b>Dr & Co</b>"  # markup in a name must come out escaped


def _coded(turns: list[PlantedTurn], rupture_at: int | None = None) -> CodedSession:
    names = {"Therapist": THERAPIST, "Client": "Client"}
    role = {"Therapist": Role.THERAPIST, "Client": Role.CLIENT}
    session = Session(
        id="media", speakers=(Speaker(name=THERAPIST, role=Role.THERAPIST),
                              Speaker(name="Client", role=Role.CLIENT)),
        turns=tuple(Turn(index=i, speaker=names[t.speaker], role=role[t.speaker],
                         text=f"planted turn {i}", start=t.start, end=t.end)
                    for i, t in enumerate(turns)))
    codes = tuple(TurnCodes(session_id="media", turn_index=t.index, codes=(
        (Code(name="rupture_marker", value=True, confidence=0.8),) if t.index == rupture_at
        else ())) for t in session.turns)
    return CodedSession(session=session, codes=codes)


Dialogue = tuple[np.ndarray, list[PlantedTurn]]


def test_section_is_registered_under_its_name() -> None:
    assert any(s.name == "nonverbal" for s in load_sections())


def test_analysis_with_audio_and_video(dialogue: Dialogue, media_dir: Path) -> None:
    _, turns = dialogue
    analysis = analyze_coded(_coded(turns, rupture_at=5),
                             media={"audio": media_dir / "stereo.wav",
                                    "video": media_dir / "video.avi"},
                             options={"nonverbal": {"surrogates": 60, "seed": 2}})
    doc = json.loads(analysis.to_json())
    section = doc["sections"]["nonverbal"]
    jsonschema.validate(section, NonverbalResult.model_json_schema())
    assert section["movement"]["summary"]["best_lag_s"] == pytest.approx(1.0, abs=0.1)
    assert section["movement"]["test"]["n"] == 60
    assert section["movement"]["params"]["seed"] == 2
    assert {s["role"] for s in section["prosody"]["speakers"]} == {"therapist", "client"}
    assert [e["feature"] for e in section["vocal_entrainment"]] == ["pitch", "intensity", "rate"]
    assert section["timing"]["floor_turns"] >= 2
    assert doc["metrics"]["nonverbal.movement_synchrony"] == section["movement"]["summary"][
        "grand_aver"]
    html = analysis.to_html()
    assert 'class="chart nonverbal-timeline"' in html and "<desc id=\"nv-chart-desc\">" in html
    assert "&lt;b&gt;Dr &amp; Co&lt;/b&gt;" in html and THERAPIST not in html
    assert "possible rupture at turn 5" in html
    assert html.count('href="#turn-') >= len(turns)  # every turn bar links to its turn
    assert "Movement synchrony per" in html
    # said in words first, the statistics one click away
    test = section["movement"]["test"]
    beyond = test["p_value"] < 0.05 and test["effect_size"] > 0
    assert ("moved together more than chance" in html) == beyond
    assert ("moved together no more than chance" in html) == (not beyond)
    assert ("therapist followed the client" in html) == beyond  # planted: 1 s behind
    summary, detail = html.index("movement-summary"), html.index("movement-detail")
    assert summary < detail < html.index("Fisher z")


def test_movement_and_lanes_take_the_role_colours(dialogue: Dialogue,
                                                 media_dir: Path) -> None:
    """Each person's movement line and transcript lane is drawn in their role's colour
    (as on every other chart); the synchrony of the two together is no one's colour."""
    from role_colours import ROLES, check_role_colours

    from rapport.report.colours import TOGETHER

    _, turns = dialogue
    html = analyze_coded(_coded(turns), media={"audio": media_dir / "stereo.wav",
                                               "video": media_dir / "video.avi"},
                         options={"nonverbal": {"surrogates": 20, "seed": 2}}).to_html()
    chart = re.search(r'<svg class="chart nonverbal-timeline".*?</svg>', html, re.S)
    assert chart is not None
    seen = check_role_colours(html)
    lines = re.findall(r'<polyline class="role-(\w+)" fill="none" stroke="(#\w+)"',
                       chart.group(0))
    assert lines == [("client", ROLES["client"]), ("therapist", ROLES["therapist"])]
    assert f'class="together" fill="none" stroke="{TOGETHER}"' in chart.group(0)
    bars = re.findall(r'<rect class="role-(\w+)"[^>]*fill="(#\w+)"', chart.group(0))
    assert {r for r, _ in bars} == {"therapist", "client"}
    assert all(colour == ROLES[role] for role, colour in bars)
    assert seen["client:polyline"] == seen["therapist:polyline"] == 1


def test_a_report_without_video_draws_no_movement(dialogue: Dialogue,
                                                  media_dir: Path) -> None:
    _, turns = dialogue
    html = analyze_coded(_coded(turns), media={"audio": media_dir / "stereo.wav"}).to_html()
    assert 'class="chart nonverbal-timeline"' in html
    assert "Movement synchrony per" not in html and "-second window" not in html
    assert "no video, so no movement" in html
    # the response-time table is the turn-taking section's; the timing paragraph points there
    assert html.count("Over 3 s") == 1
    assert "in the turn-taking table above" in html and " 1 times" not in html


def test_section_without_media_or_times_has_nothing_to_say() -> None:
    coded = CodedSession(session=Session.build("plain", [("T", "therapist", "Hello."),
                                                         ("C", "client", "Hi.")]),
                         codes=(TurnCodes(session_id="plain", turn_index=0),
                                TurnCodes(session_id="plain", turn_index=1)))
    assert NonverbalSection().compute(AnalysisContext(coded=coded)) is None


def test_untimed_transcript_with_audio_asks_for_times(media_dir: Path) -> None:
    coded = CodedSession(session=Session.build("plain", [("T", "therapist", "Hello."),
                                                         ("C", "client", "Hi.")]),
                         codes=())
    ctx = AnalysisContext(coded=coded, media={"audio": media_dir / "mono.wav"})
    with pytest.raises(RapportInputError) as err:
        NonverbalSection().compute(ctx)
    assert err.value.code == "needs_transcript"


def test_missing_or_unreadable_media_stop_the_analysis(dialogue: Dialogue,
                                                       tmp_path: Path) -> None:
    _, turns = dialogue
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"not audio at all")
    for media, code in (({"video": tmp_path / "gone.mp4"}, "missing_media"),
                        ({"audio": broken}, "unreadable_media")):
        with pytest.raises(RapportInputError) as err:
            analyze_coded(_coded(turns), media=media)
        assert err.value.code == code


def _cli(*args: str | Path) -> Result:
    return CliRunner().invoke(build_app(), [str(a) for a in args], prog_name="rapport")


def test_cli_video_alone(media_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "nv.json"
    res = _cli("nonverbal", media_dir / "video.avi", "--json", out, "--segment", "20",
               "--surrogates", "50")
    assert res.exit_code == 0, res.output
    assert "synchronous lag +1.0 s" in res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["movement"]["summary"]["best_lag_s"] == pytest.approx(1.0)
    assert data["movement"]["params"]["segment_s"] == 20 and data["prosody"] is None
    assert data["convention"].startswith("s1 = client")


def test_cli_two_channel_audio_alone(media_dir: Path) -> None:
    res = _cli("nonverbal", media_dir / "stereo.wav")
    assert res.exit_code == 0, res.output
    assert "Voice" in res.output and "floor transfer" in res.output


def test_cli_regions_and_signed(media_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "roi.json"
    res = _cli("nonverbal", media_dir / "video.avi", "--client-roi", "0,0,80,90",
               "--therapist-roi", "80,0,80,90", "--background", "0,0,160,5", "--signed",
               "--smoothing", "rmea",
               "--surrogates", "0", "--json", out)
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["movement"]["params"]["absolute"] is False and data["movement"]["test"] is None
    assert data["movement"]["params"]["smooth_mode"] == "rmea"


@pytest.mark.parametrize(("args", "message"), [
    (["missing.avi"], "video file not found"),
    (["notes.txt"], "not a video or audio file name"),
    (["mono.wav"], "cannot tell the speakers apart"),
    (["video.avi", "--client-roi", "0,0,10,10"], "give both"),
])
def test_cli_bad_input_exits_2_and_writes_nothing(media_dir: Path, tmp_path: Path,
                                                  args: list[str], message: str) -> None:
    out = tmp_path / "never.json"
    first = media_dir / args[0] if args[0] != "missing.avi" else tmp_path / "missing.avi"
    res = _cli("nonverbal", first, *args[1:], "--json", out)
    assert res.exit_code == 2
    assert message in res.output
    assert not out.exists()


@pytest.mark.slow  # `rapport analyze` loads the coders first
def test_analyze_with_missing_video_exits_2(tmp_path: Path) -> None:
    transcript = tmp_path / "s.txt"
    transcript.write_text("Therapist: How are you?\nClient: Tired, mostly.\n", encoding="utf-8")
    out = tmp_path / "out.json"
    res = _cli("analyze", transcript, "--video", tmp_path / "gone.mp4", "--json", out)
    assert res.exit_code == 2 and "video file not found" in res.output
    assert not out.exists()


def test_demo_media_belong_together(tmp_path: Path) -> None:
    import soundfile as sf

    from rapport.ingest import load_sessions
    from rapport.nonverbal.motion import open_video
    from rapport.nonverbal.synthetic import main

    main([str(tmp_path)])
    vtt, wav, avi = (tmp_path / f"demo_session.{ext}" for ext in ("vtt", "wav", "avi"))
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    session = load_sessions(vtt).sessions[0]
    assert {s.role for s in session.speakers} == {Role.THERAPIST, Role.CLIENT}
    assert [round(t.start or 0, 3) for t in session.turns] == [
        round(t["start"], 3) for t in truth["turns"]]
    info = sf.info(str(wav))
    video, _ = open_video(avi)
    assert info.channels == 2 and 120 < info.duration < 300
    assert abs(video.frames / video.fps - info.duration) < 1.0


@pytest.mark.parametrize(("option", "value"), [("--lag", "-1"), ("--downscale", "3"),
                                               ("--client-side", "middle"),
                                               ("--smoothing", "gaussian")])
def test_cli_bad_settings_exit_2(media_dir: Path, option: str, value: str) -> None:
    res = _cli("nonverbal", media_dir / "video.avi", option, value, "--surrogates", "0")
    assert res.exit_code == 2
    assert option.lstrip("-").split("-")[0] in res.output


def test_a_missing_extra_is_named_with_the_install_command() -> None:
    from rapport.nonverbal.analysis import require_extra

    require_extra("numpy")  # installed: no error
    with pytest.raises(RapportInputError) as err:
        require_extra("numpy", "no_such_media_library_xyz")
    assert err.value.code == "missing_extra" and "rapportkit[nonverbal]" in (err.value.fix or "")
    assert "no_such_media_library_xyz" in err.value.what
