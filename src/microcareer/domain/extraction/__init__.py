"""Skill extraction: text in, ESCO skill mentions out (lexical, fuzzy and, optionally, semantic)."""
