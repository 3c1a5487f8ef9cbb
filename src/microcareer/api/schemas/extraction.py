"""Request and response models of /api/v1/extract: the same model the CLI writes as JSON."""

from __future__ import annotations

from pydantic import BaseModel, Field

from microcareer.domain.extraction.mentions import DocumentExtraction, Method

MAX_DOCUMENTS = 100


class DocumentIn(BaseModel):
    doc_id: str = Field("", max_length=500, description="Your id for the document, echoed back.")
    text: str = Field(max_length=2_000_000)


class ExtractRequest(BaseModel):
    documents: list[DocumentIn] = Field(min_length=1, max_length=MAX_DOCUMENTS)
    methods: list[Method] = Field(default=[Method.LEXICAL, Method.FUZZY], min_length=1)
    min_confidence: float = Field(0.5, ge=0.0, le=1.0)


class MentionPublic(BaseModel):
    uri: str
    label: str = Field(description="The skill's preferred label.")
    start: int = Field(description="Character offset of the first character of the mention in the text.")
    end: int = Field(description="Character offset just past the mention.")
    matched_text: str
    matched_label: str = Field(description="The label of the skill that matched (may be alternative).")
    method: Method
    confidence: float = Field(ge=0.0, le=1.0)


class DocumentSkillPublic(BaseModel):
    uri: str
    label: str
    count: int
    confidence: float
    methods: list[Method]


class DocumentExtractionPublic(BaseModel):
    doc_id: str
    mentions: list[MentionPublic]
    skills: list[DocumentSkillPublic] = Field(description="Each skill once, most confident first.")
    text: str | None = Field(None, description="The text the offsets point into (uploads only).")

    @classmethod
    def of(cls, found: DocumentExtraction, *, text: str | None = None) -> DocumentExtractionPublic:
        return cls(
            doc_id=found.doc_id,
            mentions=[
                MentionPublic(
                    uri=m.uri,
                    label=m.label,
                    start=m.start,
                    end=m.end,
                    matched_text=m.matched_text,
                    matched_label=m.matched_label,
                    method=m.method,
                    confidence=m.confidence,
                )
                for m in found.mentions
            ],
            skills=[
                DocumentSkillPublic(
                    uri=s.uri, label=s.label, count=s.count, confidence=s.confidence, methods=list(s.methods)
                )
                for s in found.skills
            ],
            text=text,
        )


class ExtractResponse(BaseModel):
    documents: list[DocumentExtractionPublic]
