"""`/availability hours` on the console, as a school runs it (a subprocess on the demo
programme): the mentor in Paris sets hours, Sam in Toronto is offered and refused accordingly."""

from __future__ import annotations

from pathlib import Path

from tests.test_console import demo_db  # noqa: F401  (a fixture)
from tests.test_console_week import MENTOR, SAM, as_, saturday_ahead


def test_hours_set_on_the_console_shape_a_far_students_slots(demo_db: Path) -> None:  # noqa: F811
    day = saturday_ahead()
    mentor = as_(
        demo_db,
        MENTOR,
        "/availability add sam 08:00-20:00",  # Paris: from 02:00 (or 03:00) in Toronto
        "/availability heures 09:00-21:00",
        "/availability list",
    )
    _, set_, listed = mentor.replace("\u202f", " ").split("\n> ")[1:]
    assert "Vos étudiants se voient proposer des créneaux entre 09:00 et 21:00" in set_, set_
    assert "Pour vos étudiants : de 09:00 à 21:00, à leur heure" in listed, listed
    out = as_(demo_db, SAM, f"/book {day}", f"/book {day} 03:00")
    offered, refused = out.split("\n> ")[1:]
    # Sam's first Saturday slot is 09:00 on his own clock, not the window's 02:00.
    assert "[1] Sat" in offered and " 09:00" in offered.splitlines()[2], offered
    assert " 02:00" not in offered and " 08:30" not in offered, offered
    assert refused.splitlines()[1].startswith(
        "! Your mentor sees you between 09:00 and 21:00, your time (America/Toronto)"
    ), refused
