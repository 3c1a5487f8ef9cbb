"""The ESCO skills graph: concepts, label normalisation and label search."""
