"""duben (读本): build a reading edition of Chinese newspaper pages.

The pipeline, top to bottom:
seeds/ --split--> content/ --load+check--> Edition --render per script--> site/
"""
