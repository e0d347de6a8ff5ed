"""The EAF structural check finds what the EAF 3.0 schema forbids (no XSD is available
offline; docs/workbench.md)."""

from __future__ import annotations

import pytest

from rapport.workbench.eaf import check_eaf

GOOD = """<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="x" DATE="2026-12-05T18:00:00+00:00" FORMAT="3.0" VERSION="3.0">
  <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
    <PROPERTY NAME="lastUsedAnnotationId">2</PROPERTY>
  </HEADER>
  <TIME_ORDER>
    <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="0"/>
    <TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="1000"/>
    <TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="2000"/>
  </TIME_ORDER>
  <TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="turns">
    <ANNOTATION>
      <ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
        <ANNOTATION_VALUE>hi</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
    <ANNOTATION>
      <ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts2" TIME_SLOT_REF2="ts3">
        <ANNOTATION_VALUE>yes</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>
  </TIER>
  <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="lt" TIME_ALIGNABLE="true"/>
</ANNOTATION_DOCUMENT>"""


def test_a_well_formed_document_passes() -> None:
    assert check_eaf(GOOD) == []


@pytest.mark.parametrize(("change", "problem"), [
    (('ANNOTATION_ID="a2"', 'ANNOTATION_ID="a1"'), "missing or repeated"),
    (('TIME_SLOT_REF2="ts3"', 'TIME_SLOT_REF2="ts9"'), "unknown time slot"),
    (('TIME_SLOT_REF1="ts2" TIME_SLOT_REF2="ts3"', 'TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts3"'),
     "overlaps"),
    (('TIME_VALUE="2000"', 'TIME_VALUE="-5"'), "non-negative"),
    (('LINGUISTIC_TYPE_REF="lt"', 'LINGUISTIC_TYPE_REF="other"'), "undefined LINGUISTIC_TYPE"),
    ((' FORMAT="3.0"', ""), "lacks FORMAT"),
    (("<HEADER", "<FOO/><HEADER"), "unknown element FOO"),
    (("</ANNOTATION_DOCUMENT>",
      '<TIER LINGUISTIC_TYPE_REF="lt" TIER_ID="late"/></ANNOTATION_DOCUMENT>'),
     "not in the schema's order"),
    (("<ANNOTATION_DOCUMENT", "<ANNOTATION_DOC"), "not well-formed"),
])
def test_each_violation_is_found(change: tuple[str, str], problem: str) -> None:
    broken = GOOD.replace(*change)
    assert broken != GOOD
    assert any(problem in p for p in check_eaf(broken)), check_eaf(broken)
