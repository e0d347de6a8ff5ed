"""Motion energy: counting changed pixels, streaming, thresholds, artefacts, video files."""

from __future__ import annotations

import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.errors import RapportInputError
from rapport.nonverbal.motion import (
    CALIBRATION_FRAMES,
    MotionEnergy,
    Roi,
    default_rois,
    motion_energy,
    open_video,
    smooth,
)
from rapport.nonverbal.movement import (
    MovementParams,
    analyse_video,
    drop_outliers,
    movement_synchrony,
)
from rapport.nonverbal.synthetic import BlobVideoSpec, coupled_blob_frames, write_video

W, H = 160, 90


def _rect_frames(xs: list[int], width: int = 20, height: int = 30) -> Iterator[np.ndarray]:
    """A flat grey background with one white rectangle at each x (no anti-aliasing)."""
    for x in xs:
        frame = np.full((H, W), 100, np.uint8)
        frame[30:30 + height, x:x + width] = 250
        yield frame


def test_a_still_video_has_no_motion() -> None:
    frames = [np.full((H, W), 120, np.uint8)] * 40
    me = motion_energy(iter(frames), fps=10, rois=default_rois(W, H))
    assert me.n == 39
    assert me.raw["client"].sum() == 0 and me.raw["therapist"].sum() == 0
    assert any("almost no movement" in w for w in me.warnings)


@pytest.mark.parametrize("k", [1, 3, 7])
def test_a_translated_block_changes_its_xor_area(k: int) -> None:
    xs = [10, 10 + k] * 20
    me = motion_energy(_rect_frames(xs), fps=10, rois=default_rois(W, H), threshold=10)
    assert set(me.raw["client"].tolist()) == {2 * k * 30}
    assert me.raw["therapist"].sum() == 0
    np.testing.assert_array_equal(me.frac("client"), me.raw["client"] / (80 * 90))


def test_auto_threshold_ignores_sensor_noise() -> None:
    spec = BlobVideoSpec(seconds=6, fps=10, coupling=0.0, burst_rate_hz=1e-6, seed=2)
    me = motion_energy(coupled_blob_frames(spec), fps=10, rois=default_rois(W, H))
    assert 8 <= me.threshold <= 16  # noise SD 2 grey levels -> diff SD ~2.8 -> ~11
    assert me.raw["client"].max() < 5  # still blobs: (almost) nothing crosses it


def test_frames_are_streamed_not_stored() -> None:
    """At most the frame being read and the previous one are alive at any time."""
    alive: list[weakref.ref[np.ndarray]] = []
    peak = 0

    def frames() -> Iterator[np.ndarray]:
        nonlocal peak
        for frame in coupled_blob_frames(BlobVideoSpec(seconds=4, fps=10, seed=4)):
            # arrays hold no reference cycles: CPython frees one as soon as nobody keeps it
            peak = max(peak, sum(r() is not None for r in alive))
            alive.append(weakref.ref(frame))
            yield frame

    me = motion_energy(frames(), fps=10, rois=default_rois(W, H))
    assert me.n == 39 > CALIBRATION_FRAMES
    assert peak <= 2


def test_lighting_change_in_the_background_is_left_out() -> None:
    frames = [np.full((H, W), 100, np.uint8) for _ in range(60)]
    for f in frames[30:]:
        f[:] = 160  # the lights go up: every pixel changes at frame 30
    bg = Roi(0, 0, W, 10)
    me = motion_energy(iter(frames), fps=10, rois=default_rois(W, H), background=bg)
    assert me.artefact_frames == 1
    assert np.isnan(me.raw["client"][29]) and np.isnan(me.raw["therapist"][29])
    assert np.nansum(me.raw["client"]) == 0
    assert any("background" in w for w in me.warnings)


def test_one_person_gives_motion_energy_and_a_warning_not_a_crash() -> None:
    spec = BlobVideoSpec(seconds=60, fps=10, people=1, seed=1)
    me = motion_energy(coupled_blob_frames(spec), fps=10, rois=default_rois(W, H))
    assert me.raw["client"].sum() > 0
    result = movement_synchrony(me, MovementParams())
    assert result.summary is None and result.test is None
    assert result.client_moving_share > 0.1
    assert len(result.client_motion) == len(result.therapist_motion) == 60
    assert max(v or 0 for v in result.client_motion) > 100 * max(
        v or 0 for v in result.therapist_motion)
    assert any("therapist region" in w for w in result.warnings)


def test_regions_and_sides() -> None:
    rois = default_rois(100, 50, client_side="right")
    assert rois["client"] == Roi(50, 0, 50, 50) and rois["therapist"] == Roi(0, 0, 50, 50)
    assert Roi.parse("1,2,3,4") == Roi(1, 2, 3, 4)
    assert Roi(150, 0, 50, 90).clip(W, H) == Roi(150, 0, 10, 90)
    for bad in ("1,2,3", "a,b,c,d", "0,0,0,5"):
        with pytest.raises(RapportInputError):
            Roi.parse(bad)
    with pytest.raises(RapportInputError):
        default_rois(10, 10, client_side="middle")


def test_smoothing_keeps_gaps_and_averages_the_rest() -> None:
    x = np.array([0, 0, 10, 0, 0, np.nan, 4, 4, 4], dtype=float)
    out = smooth(x, fps=3, window_s=1.0)
    assert np.isnan(out[5])
    assert out[2] == pytest.approx(10 / 3) and out[7] == pytest.approx(4.0)
    assert out[6] == pytest.approx(4.0)  # the missing neighbour is ignored, not zero


@pytest.mark.parametrize(("fourcc", "suffix"), [("MJPG", ".avi"), ("mp4v", ".mp4")])
def test_video_file_round_trip(tmp_path: Path, fourcc: str, suffix: str) -> None:
    spec = BlobVideoSpec(seconds=5, fps=10, seed=3)
    path = write_video(tmp_path / f"clip{suffix}", coupled_blob_frames(spec), 10, fourcc)
    info, frames = open_video(path)
    assert (info.width, info.height, info.fps) == (W, H, 10)
    decoded = list(frames)
    assert len(decoded) == 50 and decoded[0].shape == (H, W)
    original = next(coupled_blob_frames(spec))
    assert np.abs(decoded[0].astype(int) - original).mean() < 6  # lossy, but the same picture
    half, frames = open_video(path, downscale=0.5)
    assert (half.width, half.height) == (80, 45) and next(frames).shape == (45, 80)


def test_missing_and_unreadable_video_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(RapportInputError) as missing:
        analyse_video(tmp_path / "nope.mp4")
    assert missing.value.code == "missing_media"
    fake = tmp_path / "notes.mp4"
    fake.write_text("this is not a video", encoding="utf-8")
    with pytest.raises(RapportInputError) as unreadable:
        analyse_video(fake)
    assert unreadable.value.code == "unreadable_media" and unreadable.value.fix


@given(st.text(max_size=30))
def test_region_parser_accepts_or_explains(text: str) -> None:
    try:
        roi = Roi.parse(text)
    except RapportInputError as exc:
        assert exc.fix
    else:
        assert roi.w > 0 and roi.h > 0 and roi.x >= 0 and roi.y >= 0


@settings(max_examples=25)
@given(st.binary(max_size=2000), st.sampled_from([".mp4", ".avi", ".wav", ".flac"]))
def test_garbage_media_gives_an_input_error(data: bytes, suffix: str) -> None:
    from rapport.nonverbal.prosody import load_audio

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"garbage{suffix}"
        path.write_bytes(data)
        with pytest.raises(RapportInputError):
            if suffix in (".wav", ".flac"):
                load_audio(path)
            else:
                open_video(path)


def test_ten_sd_spikes_are_left_out_with_a_warning() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.poisson(20, size=(2, 3000)).astype(float)
    a[100] = 1e5  # a camera flash in the client's region
    clean_a, clean_b, n = drop_outliers(a, b)
    assert n == 1 and np.isnan(clean_a[100]) and not np.isnan(clean_b).any()
    me = MotionEnergy(fps=10, threshold=10, raw={"client": a, "therapist": b},
                      area={"client": 1000, "therapist": 1000})
    result = movement_synchrony(me, MovementParams(surrogates=0))
    assert any("10 SD" in w for w in result.warnings)


def test_rmea_smoothing_quirks_are_reproduced() -> None:
    from rapport.nonverbal.motion import smooth_rmea

    x = np.ones(40)
    x[20] = np.nan
    out = smooth_rmea(x, fps=25)  # n = 12.5, half-width 5.75
    assert out[0] == pytest.approx(6 / 12.5)   # t=1: indices 1..6, still divided by n
    assert out[8] == pytest.approx(12 / 12.5)  # interior: 12 samples / 12.5 (4 % less)
    assert np.isnan(out[20])                   # missing stays missing
    assert out[17] == 0.0                      # its window touches the missing sample
    assert (out[-5:] == 0.0).all()             # windows past the end become 0
    assert out[-7] == pytest.approx(12 / 12.5)
