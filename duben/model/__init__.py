"""The content model both halves share: the Article and its file form, the config,
the column and tag vocabularies, and the loaded Edition with its indexes."""
