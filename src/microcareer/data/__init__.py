"""Package data: the bundled ESCO build (``esco/``) and the demo data set (``demo.json``)."""
