"""Citations: Harvard references for people, and exports for reference managers.

harvard.py formats; formats.py exports (BibTeX, RIS, CSL-JSON, Highwire meta
tags); links.py decides which URLs may become links. All read Source records
only, so they sit after the checker and before the site in the pipeline.
"""
