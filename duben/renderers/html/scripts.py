"""The HTML site in every script: the default edition at the root, the others under
their prefix (zh-hant/), each rendered from `to_variant(edition, script)`.

This is the "html" renderer: one function over the checked Edition, as every
renderer is. Each script's edition is a transform of the one Edition, never a second
pipeline: the templates are the same, read in the target script.
"""
from __future__ import annotations

from dataclasses import replace

from duben.model.config import Config
from duben.model.edition import Edition
from duben.model.variant import DEFAULT, VARIANTS, converter, load_exceptions, to_variant
from duben.output import urls
from duben.renderers.html.render import render_edition


def render_scripts(edition: Edition, config: Config) -> dict[str, tuple[bytes, str]]:
    """Every page in every script: {url: (bytes, origin)}."""
    exceptions = load_exceptions(config.root)  # data/script.yaml; errors as path:line
    files: dict[str, tuple[bytes, str]] = {}
    for script in VARIANTS:
        if script == DEFAULT:
            files |= render_edition(edition, config)
            continue
        # Absolute URLs (canonical, feed, citation) name the page in this script.
        shown = replace(to_variant(config, script, exceptions),
                        base_url=config.base_url + urls.variant_prefix(script))
        files |= render_edition(to_variant(edition, script, exceptions), shown,
                                script=script, root_url=config.base_url,
                                convert=converter(script, exceptions))
    return files
