"""Items of a question bank and how each is scored.

An item is single choice, multiple choice (all the right options and none of the others), numeric
(within a tolerance) or short text (one of the accepted answers, compared after :func:`normalise`).
What scores an item (``correct``, ``value``, ``tolerance``, ``accepted``) stays with its authors:
:meth:`Item.prompt_only` is what a candidate may see before submitting.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from microcareer.errors import InvalidInput

MAX_OPTIONS = 10
MAX_ACCEPTED = 20
MAX_PROMPT = 2_000
MAX_OPTION = 300
_SPACES = re.compile(r"\s+")
_EDGE_PUNCTUATION = ".,;:!?\"'()[]"


class ItemKind(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMERIC = "numeric"
    SHORT_TEXT = "short_text"


def normalise(text: str) -> str:
    """What makes two short answers the same: Unicode forms, case, accents, inner spacing and the
    punctuation at either end folded ("  Café. " and "cafe" agree)."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    kept = "".join(c for c in folded if not unicodedata.combining(c))
    return _SPACES.sub(" ", kept).strip().strip(_EDGE_PUNCTUATION).strip()


@dataclass(frozen=True, slots=True)
class Answer:
    """A candidate's answer to one item: the options ticked, a number or a text (as the kind needs)."""

    choices: tuple[int, ...] = ()
    number: float | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class ItemPrompt:
    """An item as a candidate sees it: nothing that tells the answer."""

    id: int
    kind: ItemKind
    prompt: str
    options: tuple[str, ...]
    points: int


@dataclass(frozen=True, slots=True)
class Item:
    kind: ItemKind
    prompt: str
    options: tuple[str, ...] = ()
    correct: tuple[int, ...] = ()
    """Indexes (from 0) of the right options: one for single choice, one or more for multiple."""
    value: float | None = None
    tolerance: float = 0.0
    accepted: tuple[str, ...] = ()
    points: int = 1

    def validate(self) -> None:
        if not self.prompt.strip() or len(self.prompt) > MAX_PROMPT:
            raise InvalidInput(f"prompt: 1 to {MAX_PROMPT} characters", field="prompt")
        if not 1 <= self.points <= 100:
            raise InvalidInput("points: 1 to 100", field="points")
        if self.kind in (ItemKind.SINGLE_CHOICE, ItemKind.MULTIPLE_CHOICE):
            self._validate_choices()
        elif self.kind is ItemKind.NUMERIC:
            if self.value is None or not math.isfinite(self.value):
                raise InvalidInput("value: the right number is required", field="value")
            if not math.isfinite(self.tolerance) or self.tolerance < 0:
                raise InvalidInput("tolerance: 0 or more", field="tolerance")
        else:
            cleaned = [normalise(a) for a in self.accepted]
            if not cleaned or not all(cleaned) or len(cleaned) > MAX_ACCEPTED:
                raise InvalidInput(f"accepted: 1 to {MAX_ACCEPTED} non-empty answers", field="accepted")
            if any(len(a) > MAX_OPTION for a in self.accepted):
                raise InvalidInput(f"accepted: at most {MAX_OPTION} characters each", field="accepted")

    def _validate_choices(self) -> None:
        if not 2 <= len(self.options) <= MAX_OPTIONS:
            raise InvalidInput(f"options: 2 to {MAX_OPTIONS} options", field="options")
        if any(not o.strip() or len(o) > MAX_OPTION for o in self.options):
            raise InvalidInput(f"options: each 1 to {MAX_OPTION} characters", field="options")
        if len(set(self.correct)) != len(self.correct) or not self.correct:
            raise InvalidInput("correct: the right option(s), each once", field="correct")
        if any(not 0 <= i < len(self.options) for i in self.correct):
            raise InvalidInput(f"correct: option numbers 0 to {len(self.options) - 1}", field="correct")
        if self.kind is ItemKind.SINGLE_CHOICE and len(self.correct) != 1:
            raise InvalidInput("correct: a single-choice item has one right option", field="correct")

    def is_right(self, answer: Answer) -> bool:
        if self.kind is ItemKind.SINGLE_CHOICE:
            return answer.choices == self.correct
        if self.kind is ItemKind.MULTIPLE_CHOICE:
            return len(answer.choices) == len(set(answer.choices)) and set(answer.choices) == set(
                self.correct
            )
        if self.kind is ItemKind.NUMERIC:
            number, value = answer.number, self.value
            if number is None or value is None or not math.isfinite(number):
                return False
            return abs(number - value) <= self.tolerance + 1e-9 * max(1.0, abs(value))
        given = normalise(answer.text)
        return bool(given) and given in {normalise(a) for a in self.accepted}

    def prompt_only(self, item_id: int) -> ItemPrompt:
        return ItemPrompt(item_id, self.kind, self.prompt, self.options, self.points)


def check_answer(kind: ItemKind, answer: Answer, options: int, where: str) -> None:
    """An answer that fits its item (option numbers in range, one for single choice); else 422."""
    if kind is ItemKind.SINGLE_CHOICE and len(answer.choices) > 1:
        raise InvalidInput(f"{where}: one option only", field=where)
    if any(not 0 <= c < options for c in answer.choices):
        raise InvalidInput(f"{where}: option numbers 0 to {options - 1}", field=where)
    if answer.number is not None and not math.isfinite(answer.number):
        raise InvalidInput(f"{where}: a finite number", field=where)
    if len(answer.text) > MAX_OPTION:
        raise InvalidInput(f"{where}: at most {MAX_OPTION} characters", field=where)
