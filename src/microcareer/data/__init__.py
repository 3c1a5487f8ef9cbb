"""Package data: the bundled ESCO build (``esco/``) the demo data set (``demo.json``) and
tool names from O*NET mapped to ESCO skills (``tool_names.csv.gz``)."""
