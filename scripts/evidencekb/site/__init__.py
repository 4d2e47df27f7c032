"""Site generation: MkDocs pages made from the checked evidence base at build time."""
