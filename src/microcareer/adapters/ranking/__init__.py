"""Skill ranking's adapters: TF-IDF over skill labels (scikit-learn) and the trained scorer's file."""
